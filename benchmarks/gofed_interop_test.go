package benchmarks

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-fed/httpsig"

	signet "github.com/signet-go/signet/core"
)

// gofedAnswer is what the test server reports about a request it verified.
type gofedAnswer struct {
	Status      int    `json:"status"`
	Code        string `json:"code"`
	KeyID       string `json:"key_id"`
	Algorithm   string `json:"algorithm"`
	Credentials string `json:"credentials"`
	Body        string `json:"body"`
}

// gofedServer verifies every request with v, then reads the body as a
// handler would, and reports both as a gofedAnswer.
func gofedServer(t *testing.T, v *signet.Cavage) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var a gofedAnswer
		res, err := v.Verify(r.Context(), signet.FromHTTP(r))
		if e := signet.AsError(err); e != nil {
			a.Status, a.Code = e.Status(), e.Code()
		} else {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				t.Errorf("reading the verified body: %v", err)
			}
			a.Status, a.KeyID, a.Algorithm, a.Body = http.StatusOK, res.KeyID, res.Algorithm, string(body)
			a.Credentials, _ = res.Credentials.(string)
		}
		json.NewEncoder(w).Encode(a)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestGoFedSignsSignetVerifies sends requests signed by go-fed/httpsig v1.1.0
// (the peer itself, not a copy of its code) to a signet verifier. go-fed
// writes algorithm="hs2019" whatever algorithm it signed with, and signet
// resolves hs2019 on an unpinned key to the key type's default (HMAC-SHA512,
// RSASSA-PSS): so HMAC and RSA keys verify go-fed's signatures only when
// pinned (Secret.Algorithm) to the algorithm the client uses, as the go-fed
// migration guide in docs/schemes/cavage.md says. Ed25519 has one
// algorithm, so it verifies either way.
func TestGoFedSignsSignetVerifies(t *testing.T) {
	secret := []byte("go-fed-interop-secret-0123456789")
	rsaPriv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	_, edPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	public := func(k crypto.PublicKey) *signet.Key {
		key, err := signet.NewPublicKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return key
	}
	algorithms := []struct {
		alg    httpsig.Algorithm // what go-fed signs with (and the pin: the same label)
		priv   crypto.PrivateKey // go-fed's signing key
		verify *signet.Key       // signet's verification key
		result string            // Result.Algorithm when accepted
	}{
		{httpsig.HMAC_SHA256, secret, signet.NewHMACKey(secret), "hmac-sha256"},
		{httpsig.RSA_SHA256, rsaPriv, public(&rsaPriv.PublicKey), "rsa-sha256"},
		{httpsig.ED25519, edPriv, public(edPriv.Public()), "ed25519"},
	}
	for _, a := range algorithms {
		for _, pinned := range []bool{true, false} {
			pin := ""
			if pinned {
				pin = string(a.alg)
			}
			keys, err := signet.NewStaticKeys(signet.Secret{ID: "client-1", Key: a.verify, Algorithm: pin, Credentials: "billing"})
			if err != nil {
				t.Fatal(err)
			}
			// The setup cavage.md's Quick start recommends.
			v, err := signet.NewCavage(keys,
				signet.CavageRequiredHeaders("(request-target)", "host", "date"),
				signet.CavageDigest(signet.DigestRequire))
			if err != nil {
				t.Fatal(err)
			}
			srv := gofedServer(t, v)

			want := gofedAnswer{Status: http.StatusOK, KeyID: "client-1", Algorithm: a.result, Credentials: "billing"}
			if !pinned && a.alg != httpsig.ED25519 {
				want = gofedAnswer{Status: http.StatusUnauthorized, Code: "invalid_signature"}
			}
			for _, scheme := range []httpsig.SignatureScheme{httpsig.Authorization, httpsig.Signature} {
				t.Run(fmt.Sprintf("%s/%s/pinned=%t", a.alg, scheme, pinned), func(t *testing.T) {
					body := []byte(`{"amount":10}`)
					r, err := http.NewRequest(http.MethodPost, srv.URL+"/orders/42?expand=items", bytes.NewReader(body))
					if err != nil {
						t.Fatal(err)
					}
					r.Header.Set("Content-Type", "application/json")
					r.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
					r.Header.Set("Host", r.URL.Host) // go-fed signs the header map; net/http sends r.URL.Host
					signer, _, err := httpsig.NewSigner([]httpsig.Algorithm{a.alg}, httpsig.DigestSha256,
						[]string{httpsig.RequestTarget, "host", "date", "digest"}, scheme, 0)
					if err != nil {
						t.Fatal(err)
					}
					if err := signer.SignRequest(a.priv, "client-1", r, body); err != nil {
						t.Fatal(err)
					}
					if got := r.Header.Get(string(scheme)); !strings.Contains(got, `algorithm="hs2019"`) {
						t.Fatalf("go-fed no longer hides its algorithm (%s), so the pin may not be needed: %q", scheme, got)
					}

					resp, err := srv.Client().Do(r)
					if err != nil {
						t.Fatal(err)
					}
					defer resp.Body.Close()
					var got gofedAnswer
					if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
						t.Fatal(err)
					}
					w := want
					if w.Status == http.StatusOK {
						w.Body = string(body)
					}
					if got != w {
						t.Errorf("signet answered %+v, want %+v", got, w)
					}
				})
			}
		}
	}
}
