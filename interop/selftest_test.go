//go:build interop

package interop

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// testSelf proves that the suite fails when a direction breaks: a
// deliberately broken signature, sent to the real servers, must make the
// very check the matrix uses (want.check) report a failure, while the
// same request unbroken passes it.
func testSelf(t *testing.T, s *servers) {
	t.Run("peers-to-signet", func(t *testing.T) {
		setup, alg := peerSetups[0], "hmac-sha256"
		for _, f := range frameworks {
			url := s.conformance[f]
			configure(t, url, conformanceConfig(t, setup.Dialect))
			signed := nodeSign(t, []description{describe(t, setup, alg, noBody, url)})[0]
			require.NoError(t, accepted.check(send(t, url, signed)), f)
			got := send(t, url, breakSignature(t, signed))
			require.Error(t, accepted.check(got), "%s accepted a broken signature", f)
			require.Equal(t, "invalid_signature", got.Code)
		}
	})
	t.Run("signet-to-peers", func(t *testing.T) {
		for _, setup := range signetSetups {
			url, alg := s.peers[setup.Peer], "hmac-sha256"
			signer := newSigner(t, keyIDs[alg], signingKey(t, keyIDs[alg]), setup.Dialect)
			signed := transportSign(t, signer, noBody, url)
			require.NoError(t, accepted.check(send(t, url, signed)), setup.Peer)
			require.Error(t, accepted.check(send(t, url, breakSignature(t, signed))), "%s accepted a broken signature", setup.Peer)

			// A signer with another key breaks it as surely.
			wrong := newSigner(t, keyIDs[alg], signet.NewHMACKey([]byte("not the secret")), setup.Dialect)
			require.Error(t, accepted.check(send(t, url, transportSign(t, wrong, noBody, url))), setup.Peer)
		}
	})
}

// breakSignature returns r with the first character of its signature
// parameter changed.
func breakSignature(t *testing.T, r wireRequest) wireRequest {
	t.Helper()
	r.Header = append([][2]string(nil), r.Header...)
	for i, h := range r.Header {
		if strings.EqualFold(h[0], "Authorization") {
			before, after, ok := strings.Cut(h[1], `signature="`)
			require.True(t, ok, "no signature in %q", h[1])
			flipped := "A"
			if after[0] == 'A' {
				flipped = "B"
			}
			r.Header[i][1] = before + `signature="` + flipped + after[1:]
			return r
		}
	}
	t.Fatal("no Authorization header")
	return r
}
