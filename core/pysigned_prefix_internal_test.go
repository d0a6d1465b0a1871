package signet

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPysignedPathPrefixMessage: behind a proxy that strips the prefix,
// the verifier's message for the forwarded request-target is the one
// pysigned builds for the public URL (urlparse's path and params, which
// parsePyURL clones), params and odd targets included.
func TestPysignedPathPrefixMessage(t *testing.T) {
	tests := []struct {
		prefix, public, forwarded string
	}{
		{"/files", "https://h.example/files/report.pdf?x=1", "/report.pdf?x=1"},
		{"/files/", "https://h.example/files/", "/"},
		{"/files", "https://h.example/files/a/b;p=1?x=1", "/a/b;p=1?x=1"},
		{"/files", "https://h.example/files/;p", "/;p"},
		{"/files", "https://h.example/files/a;b/c;d;e?q=1", "/a;b/c;d;e?q=1"},
		{"/api/v1", "https://h.example/api/v1/x%2Fy/caf%C3%A9?q=%C3%A9", "/x%2Fy/caf%C3%A9?q=%C3%A9"},
		{"/a%2Fb", "https://h.example/a%2Fb//c", "//c"},
		{"/files", "https://h.example/files/x?q", "http://backend/x?q"}, // absolute-form
	}
	for _, tt := range tests {
		t.Run(tt.public, func(t *testing.T) {
			cfg, err := newPysignedConfig([]PysignedOption{PysignedOrigin("https://h.example"), PysignedPathPrefix(tt.prefix)})
			require.NoError(t, err)
			r := httptest.NewRequest("GET", "/", nil)
			r.RequestURI, r.Host, r.TLS = tt.forwarded, "backend", &tls.ConnectionState{}
			var got pyURL
			require.NoError(t, cfg.requestURL(FromHTTP(r), &got))
			want, err := parsePyURL(tt.public)
			require.NoError(t, err)
			msg := cfg.putPrefix(appendPysignedMessage(nil, "1", &got, &qsl{}, nil), "1", &got)
			assert.Equal(t, string(appendPysignedMessage(nil, "1", &want, &qsl{}, nil)), string(msg))
			assert.Equal(t, want.query, got.query)
		})
	}
}
