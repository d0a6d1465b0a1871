package signet_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// cavageListNames returns n header names for a headers= list: date, then
// n-1 distinct others.
func cavageListNames(n int) []string {
	names := []string{"date"}
	for i := 1; i < n; i++ {
		names = append(names, fmt.Sprintf("x-h%d", i))
	}
	return names
}

// signedWithNames returns the server's view of a GET signed by keyId "k"
// (handSignedSecret) over names, each of which it sends.
func signedWithNames(t *testing.T, names []string) *http.Request {
	t.Helper()
	signer, err := signet.NewCavageSigner("k", signet.NewHMACKey(handSignedSecret), signet.CavageSignHeaders(names...), clockAt(attackNow))
	require.NoError(t, err)
	out, err := http.NewRequest("GET", "http://api.example/x", nil)
	require.NoError(t, err)
	for _, name := range names[1:] {
		out.Header.Set(name, "v")
	}
	require.NoError(t, signer.Sign(out))
	return serverRequest(out, "")
}

// TestCavageNamesLimit: a headers= list of more than 64 names is
// malformed_signature before its key is looked up; 64 names verify, however
// many spaces separate them.
func TestCavageNamesLimit(t *testing.T) {
	lookups := 0
	keys := signet.KeyFunc(func(_ context.Context, id string) ([]signet.Secret, error) {
		lookups++
		if id != "k" {
			return nil, signet.ErrUnknownKey
		}
		return []signet.Secret{{ID: "k", Key: signet.NewHMACKey(handSignedSecret)}}, nil
	})
	v, err := signet.NewCavage(keys, clockAt(attackNow))
	require.NoError(t, err)
	verify := func(r *http.Request) error {
		_, err := v.Verify(context.Background(), signet.FromHTTP(r))
		return err
	}

	at64 := signedWithNames(t, cavageListNames(64))
	require.NoError(t, verify(at64))

	// The same list with two spaces between names (and around them): still
	// 64 names, and the same signing string in the draft dialect.
	spaced := at64.Clone(context.Background())
	auth := spaced.Header.Get("Authorization")
	list := auth[strings.Index(auth, `headers="`)+len(`headers="`):]
	list = list[:strings.IndexByte(list, '"')]
	spaced.Header.Set("Authorization", strings.Replace(auth, list, "  "+strings.ReplaceAll(list, " ", "  ")+" ", 1))
	require.Contains(t, spaced.Header.Get("Authorization"), `headers="  date  x-h1  `)
	assert.NoError(t, verify(spaced), "64 names, two spaces apart")

	over := signedWithNames(t, cavageListNames(64))
	over.Header.Set("Authorization", strings.Replace(over.Header.Get("Authorization"), `headers="`, `headers="x-h65 `, 1))
	over.Header.Set("X-H65", "v")
	for _, keyID := range []string{"k", "unknown"} {
		over.Header.Set("Authorization", strings.Replace(over.Header.Get("Authorization"), `keyId="k"`, `keyId="`+keyID+`"`, 1))
		lookups = 0
		err := verify(over)
		assert.ErrorIs(t, err, signet.ErrMalformed, keyID)
		assert.ErrorContains(t, err, "more than 64 names", keyID)
		assert.Zero(t, lookups, "%s: the key was looked up", keyID)
	}
}

// countedRequest counts the header lookups made through a Request: on
// fiber, each one scans the header block.
type countedRequest struct {
	signet.Request
	lookups int
}

func (r *countedRequest) Header(name string) []string {
	r.lookups++
	return r.Request.Header(name)
}

// TestCavageNamesLimitLookups: a list of 1000 names (what 8 KiB holds),
// every one sent as a header, is refused after a lookup or two, not one per
// name.
func TestCavageNamesLimitLookups(t *testing.T) {
	v, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey(handSignedSecret)}), clockAt(attackNow))
	require.NoError(t, err)
	names := cavageListNames(1000)
	r, err := http.NewRequest("GET", "/x", nil)
	require.NoError(t, err)
	r.Header.Set("Authorization", `Signature keyId="k",algorithm="hmac-sha256",headers="`+strings.Join(names, " ")+`",signature="AAAA"`)
	for _, name := range names {
		r.Header.Set(name, "v")
	}
	counted := &countedRequest{Request: signet.FromHTTP(r)}
	_, err = v.Verify(context.Background(), counted)
	assert.ErrorIs(t, err, signet.ErrMalformed)
	assert.ErrorContains(t, err, "more than 64 names")
	assert.LessOrEqual(t, counted.lookups, 2, "header lookups")
}

// TestCavageNamesLimitAllocations: refusing a list of 65 names allocates
// what refusing one of 1000 (what 8 KiB holds) does: nothing is planned for
// either.
func TestCavageNamesLimitAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items")
	}
	v, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey(handSignedSecret)}), clockAt(attackNow))
	require.NoError(t, err)
	allocs := func(n int) float64 {
		r, err := http.NewRequest("GET", "/x", nil)
		require.NoError(t, err)
		r.Header.Set("Authorization", `Signature keyId="k",algorithm="hmac-sha256",headers="`+
			strings.Join(cavageListNames(n), " ")+`",signature="AAAA"`)
		_, err = v.Verify(context.Background(), signet.FromHTTP(r))
		require.ErrorContains(t, err, "more than 64 names")
		return testing.AllocsPerRun(20, func() {
			if _, err := v.Verify(context.Background(), signet.FromHTTP(r)); err == nil {
				t.Fatal("verified")
			}
		})
	}
	at65, at1000 := allocs(65), allocs(1000)
	assert.Equal(t, at65, at1000, "allocations refusing 65 names, 1000 names")
}

// TestCavageNamesLimitConfig: signers and CavageRequiredHeaders refuse
// lists a verifier refuses, so a signer never signs what no verifier
// accepts.
func TestCavageNamesLimitConfig(t *testing.T) {
	key := signet.NewHMACKey(handSignedSecret)
	_, err := signet.NewCavageSigner("k", key, signet.CavageSignHeaders(cavageListNames(64)...))
	assert.NoError(t, err, "64 names")
	_, err = signet.NewCavageSigner("k", key, signet.CavageSignHeaders(cavageListNames(65)...))
	assert.ErrorContains(t, err, "65 headers are more than the 64")

	keys := staticKeys(t, signet.Secret{ID: "k", Key: key})
	for _, tt := range []struct {
		name string
		opts []signet.CavageOption
		err  string // "": accepted
	}{
		{"64 names with date", []signet.CavageOption{signet.CavageRequiredHeaders(cavageListNames(64)...)}, ""},
		{"63 names and date or (created)", []signet.CavageOption{signet.CavageRequiredHeaders(cavageListNames(64)[1:]...)}, ""},
		{"64 names besides date or (created)", []signet.CavageOption{signet.CavageRequiredHeaders(append(cavageListNames(64)[1:], "x-h64")...)}, "make 65 names, more than the 64"},
		{"api-signature: 64 names besides date", []signet.CavageOption{signet.DialectAPISignature, signet.CavageRequiredHeaders(append(cavageListNames(64)[1:], "(created)")...)}, "make 65 names"},
		{"65 names", []signet.CavageOption{signet.CavageRequiredHeaders(cavageListNames(65)...)}, "65 required headers are more than the 64"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := signet.NewCavage(keys, tt.opts...)
			if tt.err == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.err)
			}
		})
	}
}
