//go:build interop

package interop

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// wireRequest is a request to send: the target and header values are sent
// as they are, bytes included.
type wireRequest struct {
	Method, Target string
	Header         [][2]string // name, value; Host included
	Body           string
}

// answer is what a server answered: its status and error code (signet's
// "error", or the peer's error name), "" when accepted.
type answer struct {
	Status int
	Code   string
	Body   string
}

func (a answer) String() string {
	if a.Code == "" {
		return fmt.Sprint(a.Status)
	}
	return fmt.Sprintf("%d %s", a.Status, a.Code)
}

// client sends every request of the suite, on a new connection each.
var client = &http.Client{
	Timeout:       10 * time.Second,
	Transport:     &http.Transport{DisableKeepAlives: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// send sends r to the server at url and reads the answer.
func send(t *testing.T, url string, r wireRequest) answer {
	t.Helper()
	req, err := http.NewRequest(r.Method, url+r.Target, strings.NewReader(r.Body))
	require.NoError(t, err)
	require.Equal(t, r.Target, req.URL.RequestURI(), "the target would not be sent as is")
	for _, h := range r.Header {
		if strings.EqualFold(h[0], "Host") {
			req.Host = h[1]
		} else {
			req.Header[h[0]] = append(req.Header[h[0]], h[1])
		}
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	return readAnswer(t, resp)
}

// readAnswer reads and closes resp.
func readAnswer(t *testing.T, resp *http.Response) answer {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := answer{Status: resp.StatusCode, Body: string(body)}
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error string }
		if json.Unmarshal(body, &e) == nil {
			a.Code = e.Error
		}
	}
	return a
}

// latin1 encodes s, text from Node, as Node's HTTP client writes header
// values: one byte per character.
func latin1(t *testing.T, s string) string {
	t.Helper()
	b := make([]byte, 0, len(s))
	for _, r := range s {
		require.Less(t, r, rune(256), "%q cannot be sent by Node", s)
		b = append(b, byte(r))
	}
	return string(b)
}
