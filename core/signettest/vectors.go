package signettest

import "github.com/signet-go/signet/core/internal/vectors"

// The shared upstream test vectors of every scheme, decoded into Go types.
// Each file comes from the real upstream implementation (see its doc); the
// vectors are the truth for compatibility.
type (
	// SASigningVector is one vector of sasigning.json (drf-simple-api-signing).
	SASigningVector = vectors.SASigningVector
	// CavageVector is one vector of cavage.json (http-signature, api-signature, draft-cavage).
	CavageVector = vectors.CavageVector
	// CavagePeerVerdict is what a server built on an npm peer answered.
	CavagePeerVerdict = vectors.CavagePeerVerdict
	// CavageKey is a test key of cavage-testkeys.json.
	CavageKey = vectors.CavageKey
	// APISignatureVector is one vector of api-signature.json.
	APISignatureVector = vectors.APISignatureVector
	// APISignatureKey is an entry of the getSecret table of api-signature.json.
	APISignatureKey = vectors.APISignatureKey
	// SignwayVector is one vector of signway.json.
	SignwayVector = vectors.SignwayVector
	// PysignedVector is one vector of pysigned.json (URLAuth 0.2.5 and 0.2.8).
	PysignedVector = vectors.PysignedVector
	// PysignedCase is one verification case of a PysignedVector.
	PysignedCase = vectors.PysignedCase
	// PysignedExpected is a case's expected result: a bool or "raises TypeError".
	PysignedExpected = vectors.PysignedExpected
	// PysignedKey is a test key of pysigned.json.
	PysignedKey = vectors.PysignedKey
)

// SASigningVectors returns the vectors of sasigning.json.
func SASigningVectors() ([]SASigningVector, error) { return vectors.SASigningVectors() }

// CavageVectors returns the vectors of cavage.json and its key table.
func CavageVectors() ([]CavageVector, map[string]CavageKey, error) { return vectors.CavageVectors() }

// APISignatureVectors returns the vectors of api-signature.json and its
// getSecret table.
func APISignatureVectors() ([]APISignatureVector, map[string]APISignatureKey, error) {
	return vectors.APISignatureVectors()
}

// SignwayVectors returns the vectors of signway.json.
func SignwayVectors() ([]SignwayVector, error) { return vectors.SignwayVectors() }

// PysignedVectors returns the vectors of pysigned.json and its key table.
func PysignedVectors() ([]PysignedVector, map[string]PysignedKey, error) {
	return vectors.PysignedVectors()
}

// PysignedMatchingKey returns the first of names (keys of table) holding
// the verification material of the key signing (the same HMAC secret, or
// the same Ed25519 public key): the key URLAuth.verify matches first.
func PysignedMatchingKey(table map[string]PysignedKey, signing string, names []string) (string, bool) {
	s := table[signing]
	for _, name := range names {
		k := table[name]
		if k.Type == "hmac" && s.Type == "hmac" && k.SecretHex == s.SecretHex ||
			k.Type != "hmac" && s.Type != "hmac" && k.PublicHex == s.PublicHex {
			return name, true
		}
	}
	return "", false
}
