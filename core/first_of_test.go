package signet_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// firstOfFixture is a Cavage, an SASigning (on X-Signature) and a signed URL
// verifier over one key, and their signers.
type firstOfFixture struct {
	now                           time.Time
	key                           *signet.Key
	cavage, sasigning, signedURL  signet.IntoVerifier
	cavageSigner, sasigningSigner signet.Signer
	urlSigner                     *signet.SignedURLSigner
}

func newFirstOfFixture(t *testing.T) firstOfFixture {
	f := firstOfFixture{now: time.Unix(1_700_000_000, 0), key: signet.NewHMACKey([]byte(strings.Repeat("s", 32)))}
	keys := staticKeys(t, signet.Secret{ID: "k", Key: f.key, Credentials: "partner"})
	var err error
	f.cavage, err = signet.NewCavage(keys, fixedClock(f.now))
	require.NoError(t, err)
	f.sasigning, err = signet.NewSASigning(keys, signet.SASigningHeader("X-Signature")) // Cavage reads Signature
	require.NoError(t, err)
	f.signedURL, err = signet.NewSignedURL(keys, fixedClock(f.now))
	require.NoError(t, err)
	f.cavageSigner, err = signet.NewCavageSigner("k", f.key, fixedClock(f.now))
	require.NoError(t, err)
	f.sasigningSigner, err = signet.NewSASigningSigner(f.key, signet.SASigningHeader("X-Signature"))
	require.NoError(t, err)
	f.urlSigner, err = signet.NewSignedURLSigner("k", f.key, fixedClock(f.now))
	require.NoError(t, err)
	return f
}

// signed is the server's view of a GET of url signed by s (nil: unsigned).
func signed(t *testing.T, url string, s signet.Signer) *http.Request {
	out, err := http.NewRequest("GET", url, nil)
	require.NoError(t, err)
	if s != nil {
		require.NoError(t, s.Sign(out))
	}
	return serverRequest(out, "")
}

// TestFirstOf: each scheme's request is accepted, whatever the order; a
// request none accepts gets the answer of the scheme that found its
// signature, or the first verifier's missing_signature.
func TestFirstOf(t *testing.T) {
	f := newFirstOfFixture(t)
	first, err := signet.NewFirstOf(f.cavage, f.sasigning, f.signedURL)
	require.NoError(t, err)
	assert.Same(t, first, signet.AsIntoVerifier(first), "verified into Results as signet's own verifiers are")

	const url = "http://api.example/files/report"
	link, err := f.urlSigner.SignURL("GET", url, time.Minute)
	require.NoError(t, err)
	tampered := signed(t, url, f.cavageSigner)
	tampered.Header.Set("Date", f.now.Add(-time.Second).UTC().Format(http.TimeFormat))
	// More query parameters than a signed URL verifier reads: it refuses
	// the request before it looks for its signature.
	longQuery := url + "?" + strings.Repeat("a=1&", 300) + "b=2"

	for _, c := range []struct {
		name    string
		request *http.Request
		scheme  string
		err     error
	}{
		{"Cavage", signed(t, url, f.cavageSigner), signet.SchemeCavage, nil},
		{"SASigning", signed(t, url, f.sasigningSigner), signet.SchemeSASigning, nil},
		{"a signed URL", signed(t, link, nil), signet.SchemeSignedURL, nil},
		{"Cavage, after a verifier refusing its URL", signed(t, longQuery, f.cavageSigner), signet.SchemeCavage, nil},
		{"a Cavage signature that fails: Cavage's answer", tampered, "", signet.ErrInvalidSignature},
		{"unsigned: the first verifier's answer", signed(t, url, nil), "", signet.ErrMissingSignature},
	} {
		t.Run(c.name, func(t *testing.T) {
			order := []signet.Verifier{f.cavage, f.sasigning, f.signedURL}
			if c.scheme == signet.SchemeCavage && strings.Contains(c.name, "after") {
				order = []signet.Verifier{f.signedURL, f.sasigning, f.cavage}
			}
			v, err := signet.NewFirstOf(order...)
			require.NoError(t, err)
			res, err := v.Verify(context.Background(), signet.FromHTTP(c.request))
			var into signet.Result
			intoErr := v.VerifyInto(context.Background(), signet.FromHTTP(c.request), &into)
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
	_, err = first.Verify(context.Background(), signet.FromHTTP(signed(t, url, nil)))
	assert.NotEmpty(t, signet.AsError(err).Challenge(), "Cavage's challenge, as the first")
}

// TestFirstOfKeyStores: two verifiers of one scheme over two key stores
// accept the keys of both; a key in neither gets the first's answer.
func TestFirstOfKeyStores(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	oldKey, newKey := signet.NewHMACKey([]byte("old secret")), signet.NewHMACKey([]byte("new secret"))
	oldStore, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: "k", Key: oldKey}), fixedClock(now))
	require.NoError(t, err)
	newStore, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: "k2", Key: newKey}), fixedClock(now))
	require.NoError(t, err)
	v, err := signet.NewFirstOf(oldStore, newStore)
	require.NoError(t, err)
	for _, c := range []struct {
		id  string
		key *signet.Key
		err error
	}{{"k", oldKey, nil}, {"k2", newKey, nil}, {"k3", newKey, signet.ErrUnknownKey}} {
		signer, err := signet.NewCavageSigner(c.id, c.key, fixedClock(now))
		require.NoError(t, err)
		_, err = v.Verify(context.Background(), signet.FromHTTP(signed(t, "http://api.example/", signer)))
		if c.err == nil {
			assert.NoError(t, err, c.id)
		} else {
			assert.ErrorIs(t, err, c.err, c.id)
		}
	}
}

// TestFirstOfAllocations: a request costs the allocations of the verifier
// that accepts it, wherever it stands: those before it refuse a request
// without their signature without allocating.
func TestFirstOfAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocations differ under the race detector")
	}
	f := newFirstOfFixture(t)
	first, err := signet.NewFirstOf(f.cavage, f.sasigning, f.signedURL)
	require.NoError(t, err)
	link, err := f.urlSigner.SignURL("GET", "http://api.example/files/report", time.Minute)
	require.NoError(t, err)
	for _, c := range []struct {
		request  *http.Request
		verifier signet.IntoVerifier
	}{
		{signed(t, "http://api.example/files/report", f.cavageSigner), f.cavage},
		{signed(t, "http://api.example/files/report", f.sasigningSigner), f.sasigning},
		{signed(t, link, nil), f.signedURL},
	} {
		r := signet.FromHTTP(c.request)
		var res signet.Result
		alone := testing.AllocsPerRun(50, func() { require.NoError(t, c.verifier.VerifyInto(context.Background(), r, &res)) })
		behind := testing.AllocsPerRun(50, func() { require.NoError(t, first.VerifyInto(context.Background(), r, &res)) })
		assert.Equal(t, alone, behind, "VerifyInto, %T", c.verifier)
		alone = testing.AllocsPerRun(50, func() { c.verifier.Verify(context.Background(), r) })
		behind = testing.AllocsPerRun(50, func() { first.Verify(context.Background(), r) })
		assert.Equal(t, alone, behind, "Verify, %T", c.verifier)
	}
}

// TestNewFirstOfErrors: a FirstOf needs verifiers, none of them nil, and
// SASigning and Cavage looking for their signatures in different headers;
// a FirstOf not built by NewFirstOf is refused too.
func TestNewFirstOfErrors(t *testing.T) {
	_, err := signet.NewFirstOf()
	assert.EqualError(t, err, "signet: NewFirstOf needs at least one Verifier")
	var unchecked *signet.Cavage
	_, err = signet.NewFirstOf(unchecked)
	assert.ErrorContains(t, err, "signet: NewFirstOf's verifier 0: signet: the Verifier is a nil *signet.Cavage")
	assert.ErrorContains(t, signet.CheckVerifier(&signet.FirstOf{}), "a FirstOf without verifiers")
	_, err = (&signet.FirstOf{}).Verify(context.Background(), signet.FromHTTP(signed(t, "http://api.example/", nil)))
	assert.ErrorIs(t, err, signet.ErrUnavailable, "never a pass")
	assert.ErrorIs(t, (&signet.FirstOf{}).VerifyInto(context.Background(), signet.FromHTTP(signed(t, "http://api.example/", nil)), nil), signet.ErrUnavailable)

	keys := staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("secret"))})
	cavage, err := signet.NewCavage(keys)
	require.NoError(t, err)
	apiSignature, err := signet.NewCavage(keys, signet.DialectAPISignature)
	require.NoError(t, err)
	sasigning := func(header string) *signet.SASigning {
		v, err := signet.NewSASigning(keys, signet.SASigningHeader(header))
		require.NoError(t, err)
		return v
	}
	nested, err := signet.NewFirstOf(cavage)
	require.NoError(t, err)
	for _, c := range []struct {
		name      string
		verifiers []signet.Verifier
		conflict  string // "" when accepted
	}{
		{"the default header", []signet.Verifier{sasigning("Signature"), cavage}, "Signature"},
		{"Authorization", []signet.Verifier{cavage, sasigning("authorization")}, "Authorization"},
		{"one SASigning of two", []signet.Verifier{sasigning("Signature"), sasigning("X-Signature"), cavage}, "Signature"},
		{"Cavage in a FirstOf", []signet.Verifier{nested, sasigning("Signature")}, "Signature"},
		{"api-signature reads no Signature header", []signet.Verifier{apiSignature, sasigning("Signature")}, ""},
		{"api-signature reads Authorization", []signet.Verifier{apiSignature, sasigning("Authorization")}, "Authorization"},
		{"another header", []signet.Verifier{sasigning("X-Signature"), cavage}, ""},
	} {
		_, err := signet.NewFirstOf(c.verifiers...)
		if c.conflict == "" {
			assert.NoError(t, err, c.name)
			continue
		}
		assert.EqualError(t, err, fmt.Sprintf("signet: NewFirstOf: an SASigning verifier reads its signature from the %s header, where Cavage reads one too: give it another header (SASigningHeader)", c.conflict), c.name)
	}
}

// outside is a verifier from outside package signet that finds no
// signature, as it should say so.
type outside struct{}

func (outside) Verify(context.Context, signet.Request) (*signet.Result, error) {
	return nil, signet.NewError(signet.ErrMissingSignature, "send a token")
}

// TestFirstOfOutsideVerifiers: a verifier outside package signet is tried
// as signet's are, through Verify and VerifyInto alike.
func TestFirstOfOutsideVerifiers(t *testing.T) {
	f := newFirstOfFixture(t)
	v, err := signet.NewFirstOf(outside{}, f.cavage)
	require.NoError(t, err)
	const url = "http://api.example/files/report"
	res, err := v.Verify(context.Background(), signet.FromHTTP(signed(t, url, f.cavageSigner)))
	require.NoError(t, err)
	assert.Equal(t, signet.SchemeCavage, res.Scheme)
	require.NoError(t, v.VerifyInto(context.Background(), signet.FromHTTP(signed(t, url, f.cavageSigner)), new(signet.Result)))

	_, err = v.Verify(context.Background(), signet.FromHTTP(signed(t, url, nil)))
	assert.EqualError(t, err, "send a token", "the first verifier's missing_signature")
	err = v.VerifyInto(context.Background(), signet.FromHTTP(signed(t, url, nil)), new(signet.Result))
	assert.EqualError(t, err, "send a token")
}
