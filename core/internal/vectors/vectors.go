// Package vectors decodes the shared upstream test vectors, embedded from
// testdata/vectors (copied there unchanged by make vectors). It imports
// nothing of signet, so signet's own internal tests can use it; everyone
// else reads the vectors through package signettest.
package vectors

import (
	"embed"
	"encoding/json"
	"fmt"
)

// The shared vectors; `make vectors-check` fails when the copies drift.
//
//go:embed testdata/vectors/*.json
var vectorFiles embed.FS

// loadVectors decodes testdata/vectors/name into v.
func loadVectors(name string, v any) error {
	data, err := vectorFiles.ReadFile("testdata/vectors/" + name)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("vectors: %s: %w", name, err)
	}
	return nil
}

// SASigningVector is one vector of sasigning.json, made with the Django
// package drf-simple-api-signing. Settings have the file's defaults applied.
type SASigningVector struct {
	ID          string   `json:"id"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	Settings    struct {
		Secret    string   `json:"SA_SIGNING_SECRET_KEY"`
		Delimiter *string  `json:"SA_SIGNING_DELIMETER"`
		Fields    []string `json:"SA_SIGNING_FIELDS"`
		Hash      string   `json:"SA_SIGNING_HASH_FUNCTION"`
	} `json:"settings"`
	Request struct {
		Method     string            `json:"method"`
		Target     string            `json:"target"`
		Headers    map[string]string `json:"headers"`
		ScriptName string            `json:"script_name"`
		Scheme     string            `json:"scheme"`
		Body       string            `json:"body"`
	} `json:"http_request"`
	// Message is what a correct client signs; nil when the fields cannot be
	// resolved upstream.
	Message           *string `json:"message"`
	ExpectedSignature *string `json:"expected_signature"`
	// SignatureHeader is the header actually sent; nil for none.
	SignatureHeader *struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"signature_header_sent"`
	Expected struct {
		// Outcome is pass, mismatch, missing_header or field_error.
		Outcome string `json:"outcome"`
	} `json:"expected"`
}

// SASigningVectors returns the vectors of sasigning.json.
func SASigningVectors() ([]SASigningVector, error) {
	var file struct {
		Defaults struct {
			Delimiter string   `json:"SA_SIGNING_DELIMETER"`
			Fields    []string `json:"SA_SIGNING_FIELDS"`
			Hash      string   `json:"SA_SIGNING_HASH_FUNCTION"`
		} `json:"defaults"`
		Vectors []SASigningVector `json:"vectors"`
	}
	if err := loadVectors("sasigning.json", &file); err != nil {
		return nil, err
	}
	for i := range file.Vectors {
		s := &file.Vectors[i].Settings
		if s.Delimiter == nil {
			s.Delimiter = &file.Defaults.Delimiter
		}
		if s.Fields == nil {
			s.Fields = file.Defaults.Fields
		}
		if s.Hash == "" {
			s.Hash = file.Defaults.Hash
		}
	}
	return file.Vectors, nil
}

// CavageVector is one vector of cavage.json: a request signed by the npm
// http-signature or api-signature library (or published in draft-cavage),
// replayed byte for byte, with three verdicts.
type CavageVector struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	Request     struct {
		Method  string      `json:"method"`
		URL     string      `json:"url"` // origin-form request-target, sent verbatim
		Headers [][2]string `json:"headers"`
		Body    string      `json:"body"`
	} `json:"request"`
	Key struct {
		KeyID string `json:"keyId"`
		// Verification is what the verifier registered under KeyID; nil
		// for an unknown key id.
		Verification *CavageKey `json:"verificationKey"`
		Signing      *CavageKey `json:"signingKey"`
	} `json:"key"`
	Signature struct {
		HeaderName  string `json:"headerName"`
		HeaderValue string `json:"headerValue"`
	} `json:"signature"`
	SignerSigningString *string `json:"signerSigningString"`
	SignAt              int64   `json:"signAt"`
	Now                 int64   `json:"now"`
	Expected            struct {
		// Reference is the strict draft-12 verdict.
		Reference struct {
			Accept        bool    `json:"accept"`
			Reason        string  `json:"reason"`
			SigningString *string `json:"signingString"`
		} `json:"reference"`
		APISignature  CavagePeerVerdict `json:"api-signature"`
		HTTPSignature CavagePeerVerdict `json:"http-signature"`
	} `json:"expected"`
	SignerInput struct {
		Headers       [][2]string `json:"headers"`
		Body          string      `json:"body"`
		Algorithm     string      `json:"algorithm"`
		SignedHeaders []string    `json:"signedHeaders"`
		HeaderName    string      `json:"headerName"`
	} `json:"signerInput"`
	// Mutation says how the request was changed after signing, if it was.
	Mutation string `json:"mutation"`
}

// CavagePeerVerdict is what a server built on an npm peer answered.
type CavagePeerVerdict struct {
	Status  int    `json:"status"`
	Error   string `json:"error"`
	Message string `json:"message"`
	Reason  string `json:"reason"`
}

// CavageKey is a test key of cavage-testkeys.json.
type CavageKey struct {
	Type          string          `json:"type"` // hmac, rsa, ecdsa or ed25519
	Secret        string          `json:"secret"`
	PublicKeyPEM  string          `json:"publicKeyPem"`
	PrivateKeyPEM string          `json:"privateKeyPem"`
	Credentials   json.RawMessage `json:"credentials"`
}

// CavageVectors returns the vectors of cavage.json and the key table both
// reference servers registered, by key id.
func CavageVectors() ([]CavageVector, map[string]CavageKey, error) {
	var file struct {
		Keys    map[string]CavageKey `json:"keys"`
		Vectors []CavageVector       `json:"vectors"`
	}
	err := loadVectors("cavage.json", &file)
	return file.Vectors, file.Keys, err
}

// APISignatureVector is one vector of api-signature.json: what the npm
// api-signature middleware saw (Node's view of the request) and answered.
type APISignatureVector struct {
	ID          string `json:"id"`
	Description string `json:"description"`
	NowMS       int64  `json:"now_ms"`
	Options     struct {
		RequestLifetime *int     `json:"requestLifetime"` // seconds; nil or 0: no Date window
		RequiredHeaders []string `json:"requiredHeaders"`
	} `json:"options"`
	Request struct {
		Method      string            `json:"method"`
		Path        string            `json:"path"`    // Express req.path: no query
		Headers     map[string]string `json:"headers"` // lower-case names, repeats joined
		OriginalURL string            `json:"originalUrl"`
	} `json:"request"`
	Expected struct {
		Outcome        string          `json:"outcome"` // next or error
		CredentialsSet bool            `json:"credentials_set"`
		Credentials    json.RawMessage `json:"credentials"`
		SigningString  string          `json:"signing_string"`
		Status         int             `json:"status"`
		Name           string          `json:"name"`
		Message        string          `json:"message"`
	} `json:"expected"`
}

// APISignatureKey is an entry of the getSecret table of api-signature.json.
type APISignatureKey struct {
	Secret      string          `json:"secret"`
	Credentials json.RawMessage `json:"credentials"`
}

// APISignatureVectors returns the vectors of api-signature.json and its
// getSecret table, by key id.
func APISignatureVectors() ([]APISignatureVector, map[string]APISignatureKey, error) {
	var file struct {
		GetSecret map[string]APISignatureKey `json:"getSecret"`
		Vectors   []APISignatureVector       `json:"vectors"`
	}
	err := loadVectors("api-signature.json", &file)
	return file.Vectors, file.GetSecret, err
}
