package signet_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// TestSASigningPathPrefixVector replays Django's script-name-prefix vector
// (mounted at /app, the target /app/x) as the request a proxy stripping
// /app passes on: /x, which verifies behind SASigningPathPrefix("/app")
// and is outside SASigningMount("/app").
func TestSASigningPathPrefixVector(t *testing.T) {
	vectors, err := signettest.SASigningVectors()
	require.NoError(t, err)
	i := -1
	for j := range vectors {
		if vectors[j].ID == "script-name-prefix" {
			i = j
		}
	}
	require.GreaterOrEqual(t, i, 0)
	v := vectors[i]
	require.Equal(t, "/app", v.Request.ScriptName)
	keys := staticKeys(t, signet.Secret{ID: "sa", Key: signet.NewHMACKey([]byte(v.Settings.Secret))})
	stripped := vectorRequest(v)
	stripped.RequestURI = strings.TrimPrefix(v.Request.Target, "/app")
	for _, tt := range []struct {
		option signet.SASigningOption
		want   error
	}{
		{signet.SASigningPathPrefix("/app"), nil},
		{signet.SASigningMount("/app"), signet.ErrMalformed},
	} {
		verifier, err := signet.NewSASigning(keys, signet.SASigningFields(v.Settings.Fields...), signet.SASigningHash(v.Settings.Hash),
			signet.SASigningDelimiter(*v.Settings.Delimiter), tt.option)
		require.NoError(t, err)
		_, err = verifier.Verify(context.Background(), signet.FromHTTP(stripped))
		assertVerdict(t, err, tt.want)
	}
}

// TestSASigningPathPrefix: a request signed for the public URL (under the
// prefix) verifies as a proxy stripping the prefix passes it on, with
// path the prefix and the decoded path received, path_info the path
// received; sent unstripped, or to a verifier without the prefix, it does
// not. A target that is not a path is malformed_signature.
func TestSASigningPathPrefix(t *testing.T) {
	for _, field := range []string{"path", "path_info"} {
		prefixed := []signet.SASigningOption{signet.SASigningFields(field, "method"), signet.SASigningPathPrefix("/app/")}
		for _, tt := range []struct {
			name             string
			public, received string
			verifier         []signet.SASigningOption
			want             error
		}{
			{"stripped", "/app/x%20y", "/x%20y", prefixed, nil},
			{"stripped to /", "/app/", "/", prefixed, nil},
			{"not stripped", "/app/x%20y", "/app/x%20y", prefixed, signet.ErrInvalidSignature},
			{"*", "/app/x", "*", prefixed, signet.ErrMalformed},
		} {
			t.Run(field+", "+tt.name, func(t *testing.T) {
				r := signedRequest(t, "GET", tt.public, "", prefixed...)
				r.RequestURI = tt.received
				_, err := newVerifier(t, tt.verifier...).Verify(context.Background(), signet.FromHTTP(r))
				assertVerdict(t, err, tt.want)
			})
		}
	}
	r := signedRequest(t, "GET", "/app/x", "", signet.SASigningFields("path", "method"), signet.SASigningPathPrefix("/app"))
	r.RequestURI = "/x"
	_, err := newVerifier(t, signet.SASigningFields("path", "method")).Verify(context.Background(), signet.FromHTTP(r))
	assert.ErrorIs(t, err, signet.ErrInvalidSignature, "stripped, to a verifier without the prefix")
}

// TestSASigningPathPrefixConfig: SASigningPathPrefix and SASigningMount
// exclude each other, a prefix starts with '/', and the signer refuses a
// URL outside the prefix.
func TestSASigningPathPrefixConfig(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []signet.SASigningOption
		err  string
	}{
		{"relative", []signet.SASigningOption{signet.SASigningPathPrefix("app")}, "a path prefix starts with /"},
		{"mount, then prefix", []signet.SASigningOption{signet.SASigningMount("/a"), signet.SASigningPathPrefix("/b")}, "not both"},
		{"prefix, then mount", []signet.SASigningOption{signet.SASigningPathPrefix("/b"), signet.SASigningMount("/a")}, "not both"},
		{"an empty prefix, then a mount", []signet.SASigningOption{signet.SASigningPathPrefix("/"), signet.SASigningMount("/a")}, ""},
		{"a mount, then an empty prefix", []signet.SASigningOption{signet.SASigningMount("/a"), signet.SASigningPathPrefix("/")}, ""},
		{"a prefix twice: the last wins", []signet.SASigningOption{signet.SASigningPathPrefix("/a"), signet.SASigningPathPrefix("/b")}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, verr := signet.NewSASigning(staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte(testSecret))}), tt.opts...)
			_, serr := signet.NewSASigningSigner(signet.NewHMACKey([]byte(testSecret)), tt.opts...)
			for _, err := range []error{verr, serr} {
				if tt.err == "" {
					assert.NoError(t, err)
				} else {
					assert.ErrorContains(t, err, tt.err)
				}
			}
		})
	}
	signer, err := signet.NewSASigningSigner(signet.NewHMACKey([]byte(testSecret)), signet.SASigningPathPrefix("/app"))
	require.NoError(t, err)
	out, err := http.NewRequest("GET", "https://example.com/other/x", nil)
	require.NoError(t, err)
	assert.ErrorContains(t, signer.Sign(out), `"/other/x" is outside the prefix "/app"`)

	last, err := signet.NewSASigningSigner(signet.NewHMACKey([]byte(testSecret)), signet.SASigningPathPrefix("/a"), signet.SASigningPathPrefix("/b"))
	require.NoError(t, err)
	out, err = http.NewRequest("GET", "https://example.com/b/x", nil)
	require.NoError(t, err)
	assert.NoError(t, last.Sign(out), "the last SASigningPathPrefix wins")
}

// TestSASigningPathPrefixOverHTTP signs a POST to a public URL under /files
// and sends it to a server on 127.0.0.1 behind each way of passing it on
// (see testPathPrefixOverHTTP).
func TestSASigningPathPrefixOverHTTP(t *testing.T) {
	fields := signet.SASigningFields("path", "method")
	verifier := func(opts ...signet.SASigningOption) http.Handler {
		return verifyHandler(newVerifier(t, append(opts, fields)...))
	}
	signer, err := signet.NewSASigningSigner(signet.NewHMACKey([]byte(testSecret)), fields, signet.SASigningPathPrefix("/files"))
	require.NoError(t, err)
	// Not %2F, which SASigning refuses (TestSASigningEncodedSlash).
	testPathPrefixOverHTTP(t, signedPOST(signer, "/files/orders%207?id=42"), verifier(signet.SASigningPathPrefix("/files")), verifier(), "OK: ok client /orders 7")
}
