package signettest

import (
	"embed"
	"encoding/json"
	"fmt"
)

// The shared vectors, copied unchanged from the project's shared/vectors by
// `make vectors`; `make vectors-check` fails when the copies drift.
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
		return fmt.Errorf("signettest: %s: %w", name, err)
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
