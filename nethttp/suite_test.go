package signethttp_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
	signethttp "github.com/signet-go/signet/nethttp"
)

// harness serves the suite's verifier behind signethttp.New.
type harness struct{}

// New builds signethttp.New(v).
func (harness) New(v signet.Verifier) { signethttp.New(v) }

func (harness) Serve(t testing.TB, v signet.Verifier, setup signettest.Setup) string {
	opts := []signethttp.Option{nil} // ignored: every case runs with a nil Option
	if setup.Skip != nil {
		opts = append(opts, signethttp.WithSkipper(func(r *http.Request) bool { return setup.Skip(r.Method, r.URL.Path) }))
	}
	if setup.CustomErrors {
		opts = append(opts, signethttp.WithErrorHandler(func(w http.ResponseWriter, _ *http.Request, err *signet.Error) {
			w.WriteHeader(signettest.CustomErrorStatus)
			io.WriteString(w, "custom:"+err.Code())
		}))
	}
	if setup.SilentErrors {
		opts = append(opts, signethttp.WithErrorHandler(func(http.ResponseWriter, *http.Request, *signet.Error) {}))
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		res, _ := signethttp.Result(r)
		creds, _ := signethttp.Credentials[signettest.Credentials](r)
		json.NewEncoder(w).Encode(signettest.NewEcho(res, creds, body))
	})
	srv := httptest.NewServer(signethttp.New(v, opts...)(handler))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestSuite(t *testing.T) { signettest.Run(t, harness{}) }
