//go:build interop

package interop

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
)

// description is a request for a peer's signer (sign.js).
type description struct {
	Peer          string      `json:"peer"`
	Method        string      `json:"method"`
	Target        string      `json:"target"`
	RequestTarget string      `json:"request_target,omitempty"` // api-signature: the path it signs
	Headers       [][2]string `json:"headers"`
	Body          string      `json:"body,omitempty"`
	Digest        bool        `json:"digest,omitempty"`
	KeyID         string      `json:"key_id"`
	Secret        *string     `json:"secret,omitempty"`
	PrivateKeyPEM string      `json:"private_key_pem,omitempty"`
	Algorithm     string      `json:"algorithm"`
	SignedHeaders []string    `json:"signed_headers"`
	// http-signature only: expires = created + ExpiresIn seconds when
	// (expires) is signed, and the header the signature is sent in.
	ExpiresIn               int    `json:"expires_in,omitempty"`
	AuthorizationHeaderName string `json:"authorization_header_name,omitempty"`
}

// nodeSign signs every description with one node process, now, and
// returns the requests to send, header values in latin1 as Node sends them.
func nodeSign(t *testing.T, ds []description) []wireRequest {
	t.Helper()
	input, err := json.Marshal(ds)
	require.NoError(t, err)
	cmd := exec.Command("node", "harness.js", "sign")
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "node harness.js sign: %s", stderr.String())
	var signed []struct{ Headers [][2]string }
	require.NoError(t, json.Unmarshal(out, &signed))
	require.Len(t, signed, len(ds))

	requests := make([]wireRequest, len(ds))
	for i, d := range ds {
		for j, h := range signed[i].Headers {
			signed[i].Headers[j][1] = latin1(t, h[1])
		}
		requests[i] = wireRequest{Method: d.Method, Target: d.Target, Header: signed[i].Headers, Body: d.Body}
	}
	return requests
}
