package signet_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// TestFirstOf: each scheme's request is verified by its verifier, whatever
// the order; a signature found but wrong is that verifier's answer; an
// unsigned request gets the first verifier's.
func TestFirstOf(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	key := signet.NewHMACKey([]byte(strings.Repeat("s", 32)))
	keys := staticKeys(t, signet.Secret{ID: "k", Key: key, Credentials: "partner"})
	cavage, err := signet.NewCavage(keys, fixedClock(now))
	require.NoError(t, err)
	sasigning, err := signet.NewSASigning(keys, signet.SASigningHeader("X-Signature")) // Cavage reads Signature
	require.NoError(t, err)
	signedURL, err := signet.NewSignedURL(keys, fixedClock(now))
	require.NoError(t, err)
	first, err := signet.NewFirstOf(cavage, sasigning, signedURL)
	require.NoError(t, err)
	assert.Same(t, first, signet.AsIntoVerifier(first), "verified into Results as signet's own verifiers are")

	cavageSigner, err := signet.NewCavageSigner("k", key, fixedClock(now))
	require.NoError(t, err)
	sasigningSigner, err := signet.NewSASigningSigner(key, signet.SASigningHeader("X-Signature"))
	require.NoError(t, err)
	urlSigner, err := signet.NewSignedURLSigner("k", key, fixedClock(now))
	require.NoError(t, err)
	signed := func(s signet.Signer) *http.Request {
		out, err := http.NewRequest("GET", "http://api.example/files/report", nil)
		require.NoError(t, err)
		require.NoError(t, s.Sign(out))
		return serverRequest(out, "")
	}
	link, err := urlSigner.SignURL("GET", "http://api.example/files/report", time.Minute)
	require.NoError(t, err)
	linkRequest, err := http.NewRequest("GET", link, nil)
	require.NoError(t, err)
	tampered := signed(cavageSigner)
	tampered.Header.Set("Date", now.Add(-time.Second).UTC().Format(http.TimeFormat))
	unsigned, err := http.NewRequest("GET", "http://api.example/files/report", nil)
	require.NoError(t, err)

	for _, c := range []struct {
		name    string
		request *http.Request
		scheme  string
		err     error
	}{
		{"Cavage", signed(cavageSigner), signet.SchemeCavage, nil},
		{"SASigning", signed(sasigningSigner), signet.SchemeSASigning, nil},
		{"a signed URL", serverRequest(linkRequest, ""), signet.SchemeSignedURL, nil},
		{"a Cavage signature that fails is not tried as another", tampered, "", signet.ErrInvalidSignature},
		{"unsigned: the first verifier's answer", serverRequest(unsigned, ""), "", signet.ErrMissingSignature},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := first.Verify(context.Background(), signet.FromHTTP(c.request))
			var into signet.Result
			intoErr := first.VerifyInto(context.Background(), signet.FromHTTP(c.request), &into)
			if c.err != nil {
				require.ErrorIs(t, err, c.err)
				require.ErrorIs(t, intoErr, c.err)
				assert.Nil(t, res)
				return
			}
			require.NoError(t, err)
			require.NoError(t, intoErr)
			assert.Equal(t, c.scheme, res.Scheme)
			assert.Equal(t, c.scheme, into.Scheme)
			assert.Equal(t, "partner", res.Credentials)
		})
	}
	_, err = first.Verify(context.Background(), signet.FromHTTP(serverRequest(unsigned, "")))
	assert.NotEmpty(t, signet.AsError(err).Challenge(), "Cavage's challenge, as the first")

	if !raceEnabled {
		r := signet.FromHTTP(signed(cavageSigner))
		var res signet.Result
		alone := testing.AllocsPerRun(50, func() { cavage.VerifyInto(context.Background(), r, &res) })
		behind := testing.AllocsPerRun(50, func() { first.VerifyInto(context.Background(), r, &res) })
		assert.Equal(t, alone, behind, "the first verifier's allocations, and no more")
	}
}

// TestNewFirstOfErrors: a FirstOf needs verifiers, none of them nil, and
// SASigning and Cavage looking for their signatures in different headers.
func TestNewFirstOfErrors(t *testing.T) {
	_, err := signet.NewFirstOf()
	assert.EqualError(t, err, "signet: NewFirstOf needs at least one Verifier")
	var unchecked *signet.Cavage
	_, err = signet.NewFirstOf(unchecked)
	assert.ErrorContains(t, err, "signet: NewFirstOf's verifier 0: signet: the Verifier is a nil *signet.Cavage")

	keys := staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("secret"))})
	cavage, err := signet.NewCavage(keys)
	require.NoError(t, err)
	for _, header := range []string{"", "Authorization", "signature"} {
		var opts []signet.SASigningOption
		if header != "" {
			opts = append(opts, signet.SASigningHeader(header))
		}
		sasigning, err := signet.NewSASigning(keys, opts...)
		require.NoError(t, err)
		_, err = signet.NewFirstOf(sasigning, cavage)
		assert.ErrorContains(t, err, "where Cavage reads one too", header)
	}
	sasigning, err := signet.NewSASigning(keys, signet.SASigningHeader("X-Signature"))
	require.NoError(t, err)
	_, err = signet.NewFirstOf(sasigning, cavage)
	assert.NoError(t, err)
}
