package vectors

// SignwayVector is one vector of signway.json: a URL signed as Signway's
// signers sign (SW1-HMAC-SHA256), the request a client then sent (possibly
// altered) and what the Signway gateway answered, confirmed against
// Signway's own Rust signer and request parser.
type SignwayVector struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Quirk marks an altered URL that Signway still accepts (always
	// valid); a stricter verifier may reject it.
	Quirk bool `json:"signway_quirk"`
	Sign  struct {
		ID     string `json:"id"`
		Secret string `json:"secret"`
		// Host is the gateway base URL given to the signer.
		Host     string `json:"host"`
		Method   string `json:"method"`
		ProxyURL string `json:"proxy_url"`
		// ProxyURLNormalized is the X-Sw-Proxy value actually signed.
		ProxyURLNormalized string `json:"proxy_url_normalized"`
		ExpirySeconds      int64  `json:"expiry_s"`
		Datetime           struct {
			Unix    int64  `json:"unix"`
			ISO     string `json:"iso"`
			XSwDate string `json:"x_sw_date"`
		} `json:"datetime"`
		// Headers are the headers the caller asked to sign, in order.
		Headers [][2]string `json:"headers"`
		// SignedHeaders is what was really signed: Headers plus
		// Content-Length when ContentLengthAdded.
		SignedHeaders [][2]string `json:"signed_headers_including_added_content_length"`
		// Body is the signed body; nil means X-Sw-Body=false.
		Body                    *string `json:"body"`
		ContentLengthAdded      bool    `json:"content_length_added_by_signer"`
		ProxyNormalizedBySigner bool    `json:"proxy_url_normalized_by_signer"`
	} `json:"sign"`
	SignedURL        string `json:"signed_url"`
	CanonicalRequest string `json:"canonical_request"`
	StringToSign     string `json:"string_to_sign"`
	SigningKeyHex    string `json:"signing_key_hex"`
	Signature        string `json:"signature"`
	Request          struct {
		Method string `json:"method"`
		// URL is the absolute URL requested; its query bytes are sent as
		// they are.
		URL     string      `json:"url"`
		Headers [][2]string `json:"headers"`
		// Body is nil when no body is sent.
		Body *string `json:"body"`
	} `json:"request"`
	Verify struct {
		Now struct {
			// Unix may be fractional.
			Unix float64 `json:"unix"`
			ISO  string  `json:"iso"`
		} `json:"now"`
		// KnownIDs are the gateway's secrets by id.
		KnownIDs map[string]string `json:"known_ids"`
		Expected struct {
			Valid bool `json:"valid"`
			// Status is Signway's answer: 200, 400 or 401.
			Status int `json:"status"`
			// Reason is Signway's log text (informational).
			Reason string `json:"reason"`
		} `json:"expected"`
		// CanonicalRequest is what the gateway rebuilds from the request,
		// nil when it stops earlier.
		CanonicalRequest  *string `json:"verifier_canonical_request"`
		ExpectedSignature *string `json:"verifier_expected_signature"`
	} `json:"verify"`
}

// SignwayVectors returns the vectors of signway.json.
func SignwayVectors() ([]SignwayVector, error) {
	var file struct {
		Vectors []SignwayVector `json:"vectors"`
	}
	err := loadVectors("signway.json", &file)
	return file.Vectors, err
}
