package signet_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// TestCavageChallengeIsSignable: a client that signs exactly the list the
// 401 challenge asks for is accepted, whatever the verifier requires: the
// challenge adds date to required names that name no time (date or
// (created)), which a signature must still cover.
func TestCavageChallengeIsSignable(t *testing.T) {
	const now = 1_704_067_200
	keys := staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey(handSignedSecret)})
	for _, tc := range []struct {
		name  string
		opts  []signet.CavageOption
		asked string // the challenge's headers=
	}{
		{"default", nil, "date"},
		{"required, without a time", []signet.CavageOption{signet.CavageRequiredHeaders("(request-target)", "host", "digest")},
			"(request-target) host digest date"},
		{"required, with date", []signet.CavageOption{signet.CavageRequiredHeaders("date", "(request-target)")}, "date (request-target)"},
		{"required, with (created)", []signet.CavageOption{signet.CavageRequiredHeaders("(request-target)", "(created)")},
			"(request-target) (created)"},
		{"nothing required", []signet.CavageOption{signet.CavageRequiredHeaders()}, "date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := signet.NewCavage(keys, append(tc.opts, clockAt(now))...)
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), signet.FromHTTP(httptest.NewRequest("POST", "/jobs?x=1", nil)))
			challenge := signet.AsError(err).Challenge()
			m := regexp.MustCompile(`headers="([^"]*)"`).FindStringSubmatch(challenge)
			require.NotNil(t, m, challenge)
			assert.Equal(t, tc.asked, m[1])

			r := signedAsAsked(strings.Fields(m[1]), now)
			_, err = v.Verify(context.Background(), signet.FromHTTP(r))
			assert.NoError(t, err, "signed as the challenge %s asks", challenge)
		})
	}
}

// signedAsAsked is a POST with a body, signed by hand (hs2019, with the
// handSigned secret: HMAC-SHA512) over exactly names.
func signedAsAsked(names []string, now int64) *http.Request {
	const body = `{"amount":10}`
	r := httptest.NewRequest("POST", "/jobs?x=1", strings.NewReader(body)) // Host example.com
	r.Header.Set("Date", time.Unix(now, 0).UTC().Format(http.TimeFormat))
	digest := sha256.Sum256([]byte(body))
	r.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(digest[:]))
	created := strconv.FormatInt(now, 10)
	var lines []string
	for _, name := range names {
		value := r.Header.Get(name)
		switch name {
		case "(request-target)":
			value = "post /jobs?x=1"
		case "(created)":
			value = created
		case "host":
			value = r.Host
		}
		lines = append(lines, name+": "+value)
	}
	mac := hmac.New(sha512.New, handSignedSecret)
	mac.Write([]byte(strings.Join(lines, "\n")))
	r.Header.Set("Authorization", `Signature keyId="k",algorithm="hs2019",created=`+created+`,headers="`+strings.Join(names, " ")+
		`",signature="`+base64.StdEncoding.EncodeToString(mac.Sum(nil))+`"`)
	return r
}
