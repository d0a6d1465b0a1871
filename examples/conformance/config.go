package main

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	signet "github.com/signet-go/signet/core"
)

// config is the JSON configuration of CONFORMANCE.md, as PUT to
// /_conformance/config or read from -config FILE.
type config struct {
	// Scheme names the scheme to verify, a key of schemes.
	Scheme string `json:"scheme"`
	// Now freezes the verifier's clock at these unix seconds; nil is the
	// real clock.
	Now *float64 `json:"now"`
	// Keys are the secrets, tried in order where the scheme carries no key
	// id.
	Keys []keyConfig `json:"keys"`
	// Options are the scheme's options, decoded by its schemes entry.
	Options json.RawMessage `json:"options"`
}

// keyConfig is one entry of config.Keys. Exactly one of the key material
// fields is set.
type keyConfig struct {
	ID           string          `json:"id"`
	Secret       *string         `json:"secret"`
	SecretHex    *string         `json:"secret_hex"`
	SecretB64    *string         `json:"secret_b64"`
	PublicKeyPEM *string         `json:"public_key_pem"`
	JWKS         json.RawMessage `json:"jwks"`
	Algorithm    string          `json:"algorithm"`
	// Credentials is what a verified request reports as the caller's
	// credentials; absent means {"key_id": ID}.
	Credentials json.RawMessage `json:"credentials"`
}

// schemeBuilder builds a scheme's verifier from its keys, the clock it must
// read and its raw JSON options (nil when absent).
type schemeBuilder func(keys signet.KeyStore, now func() time.Time, options json.RawMessage) (signet.Verifier, error)

// schemes maps the config's scheme names to their builders. Adding a scheme
// means adding its builder here.
var schemes = map[string]schemeBuilder{
	"cavage":    newCavage,
	"pysigned":  newPysigned,
	"sasigning": newSASigning,
	"signedurl": newSignedURL,
	"signway":   newSignway,
}

// state is one active configuration: the verifier and the clock it reads,
// replaced together so that a request never sees half of a new config.
type state struct {
	verifier signet.Verifier
	clock    *clock
}

// parseConfig decodes a config and builds the state it describes. Every error
// is the config's fault (answered as invalid_config).
func parseConfig(data []byte) (*state, error) {
	var c config
	if err := decodeStrict(data, &c); err != nil {
		return nil, err
	}
	build, ok := schemes[c.Scheme]
	if !ok {
		return nil, fmt.Errorf("scheme %q is not supported yet", c.Scheme)
	}
	clk := new(clock)
	if err := clk.set(c.Now); err != nil {
		return nil, err
	}
	keys, err := c.keyStore()
	if err != nil {
		return nil, err
	}
	v, err := build(keys, clk.Now, c.Options)
	if err != nil {
		return nil, err
	}
	return &state{verifier: v, clock: clk}, nil
}

// keyStore turns the config's keys into a signet.KeyStore, in their order
// (a jwks entry's keys in the set's order).
func (c *config) keyStore() (signet.KeyStore, error) {
	secrets := make([]signet.Secret, 0, len(c.Keys))
	for i, k := range c.Keys {
		entry, err := k.secrets(jwksVersion(c))
		if err != nil {
			return nil, fmt.Errorf("keys[%d]: %w", i, err)
		}
		secrets = append(secrets, entry...)
	}
	return signet.NewStaticKeys(secrets...)
}

// secrets are the entry's secrets: its key, or the keys of its JSON Web Key
// Set, loaded by pysigned's rules of version (ids from kid or pysigned's
// default ids), each with the entry's algorithm and credentials.
func (k *keyConfig) secrets(version signet.PysignedVersion) ([]signet.Secret, error) {
	set := 0
	for _, present := range []bool{k.Secret != nil, k.SecretHex != nil, k.SecretB64 != nil, k.PublicKeyPEM != nil, k.JWKS != nil} {
		if present {
			set++
		}
	}
	if set != 1 {
		return nil, errors.New("give exactly one of secret, secret_hex, secret_b64, public_key_pem and jwks")
	}
	if k.JWKS == nil {
		key, err := k.key()
		if err != nil {
			return nil, err
		}
		return []signet.Secret{k.secret(k.ID, key)}, nil
	}
	if k.ID != "" {
		return nil, errors.New("a jwks entry has no id: its keys take theirs from kid, or pysigned's default ids")
	}
	jwks, err := signet.ParseJWKS(k.JWKS, version)
	if err != nil {
		return nil, fmt.Errorf("jwks: %w", err)
	}
	var secrets []signet.Secret
	for _, s := range jwks.Secrets() {
		secrets = append(secrets, k.secret(s.ID, s.Key))
	}
	return secrets, nil
}

// secret is the entry's secret for key under id: its algorithm, and its
// credentials or {"key_id": id}.
func (k *keyConfig) secret(id string, key *signet.Key) signet.Secret {
	credentials := k.Credentials
	if credentials == nil {
		credentials, _ = json.Marshal(map[string]string{"key_id": id}) // cannot fail
	}
	return signet.Secret{ID: id, Key: key, Algorithm: k.Algorithm, Credentials: credentials}
}

// key decodes the entry's key material, other than jwks.
func (k *keyConfig) key() (*signet.Key, error) {
	var secret []byte
	switch {
	case k.Secret != nil:
		secret = []byte(*k.Secret)
	case k.SecretHex != nil:
		var err error
		if secret, err = hex.DecodeString(*k.SecretHex); err != nil {
			return nil, fmt.Errorf("secret_hex: %w", err)
		}
	case k.SecretB64 != nil:
		var err error
		if secret, err = base64.StdEncoding.DecodeString(*k.SecretB64); err != nil {
			return nil, fmt.Errorf("secret_b64: %w", err)
		}
	default:
		key, err := signet.ParsePublicKeyPEM([]byte(*k.PublicKeyPEM))
		if err != nil {
			return nil, fmt.Errorf("public_key_pem: %w", err)
		}
		return key, nil
	}
	return signet.NewHMACKey(secret), nil
}

// bodyOptions is the max_body_bytes option of every scheme that reads
// bodies; embed it in a scheme's options.
type bodyOptions struct {
	MaxBodyBytes *int64 `json:"max_body_bytes"`
}

// signetOptions returns the signet options bodyOptions asks for.
func (o bodyOptions) signetOptions() []signet.Option {
	if o.MaxBodyBytes == nil {
		return nil
	}
	return []signet.Option{signet.WithMaxBodyBytes(*o.MaxBodyBytes)}
}

// saSigningOptions are the sasigning options. A nil field keeps signet's
// default; a set one is passed on as is, so signet validates it.
type saSigningOptions struct {
	Fields    []string `json:"fields"`
	Delimiter *string  `json:"delimiter"`
	Hash      *string  `json:"hash"`
	Header    *string  `json:"header"`
	Scheme    *string  `json:"scheme"`
	Mount     *string  `json:"mount"`
	bodyOptions
}

// newSASigning builds a signet.SASigning verifier.
func newSASigning(keys signet.KeyStore, now func() time.Time, raw json.RawMessage) (signet.Verifier, error) {
	var o saSigningOptions
	if err := decodeOptions(raw, &o); err != nil {
		return nil, err
	}
	opts := []signet.SASigningOption{signet.WithClock(now)}
	for _, opt := range o.signetOptions() {
		opts = append(opts, opt)
	}
	if o.Fields != nil {
		opts = append(opts, signet.SASigningFields(o.Fields...))
	}
	for _, s := range []struct {
		value  *string
		option func(string) signet.SASigningOption
	}{
		{o.Delimiter, signet.SASigningDelimiter},
		{o.Hash, signet.SASigningHash},
		{o.Header, signet.SASigningHeader},
		{o.Scheme, signet.SASigningScheme},
		{o.Mount, signet.SASigningMount},
	} {
		if s.value != nil {
			opts = append(opts, s.option(*s.value))
		}
	}
	return signet.NewSASigning(keys, opts...)
}

// cavageOptions are the cavage options. Dialect and Digest start at their
// defaults; a nil list keeps its default; a set value is passed on as is,
// so signet validates it.
type cavageOptions struct {
	Dialect string `json:"dialect"`
	// RequiredHeaders nil (absent or null) means ["date"]; [] requires
	// nothing.
	RequiredHeaders []string `json:"required_headers"`
	// ClockSkew is in seconds; nil keeps signet's default (300).
	ClockSkew  *float64 `json:"clock_skew"`
	Algorithms []string `json:"algorithms"`
	Digest     string   `json:"digest"`
	bodyOptions
}

// cavageDialects are the values of the cavage dialect option.
var cavageDialects = map[string]signet.CavageDialect{
	"draft":         signet.DialectDraft,
	"api-signature": signet.DialectAPISignature,
}

// digestPolicies are the values of the cavage digest option.
var digestPolicies = map[string]signet.DigestPolicy{
	"verify":  signet.DigestVerify,
	"require": signet.DigestRequire,
}

// newCavage builds a signet.Cavage verifier.
func newCavage(keys signet.KeyStore, now func() time.Time, raw json.RawMessage) (signet.Verifier, error) {
	o := cavageOptions{Dialect: "draft", Digest: "verify"}
	if err := decodeOptions(raw, &o); err != nil {
		return nil, err
	}
	dialect, err := enumOption("dialect", o.Dialect, cavageDialects)
	if err != nil {
		return nil, err
	}
	digest, err := enumOption("digest", o.Digest, digestPolicies)
	if err != nil {
		return nil, err
	}
	if o.RequiredHeaders == nil {
		o.RequiredHeaders = []string{"date"}
	}
	opts := []signet.CavageOption{signet.WithClock(now), dialect, signet.CavageDigest(digest),
		signet.CavageRequiredHeaders(o.RequiredHeaders...)}
	for _, opt := range o.signetOptions() {
		opts = append(opts, opt)
	}
	if o.ClockSkew != nil {
		skew, err := seconds("clock_skew", *o.ClockSkew)
		if err != nil {
			return nil, err
		}
		opts = append(opts, signet.WithClockSkew(skew))
	}
	if o.Algorithms != nil {
		opts = append(opts, signet.WithAlgorithms(o.Algorithms...))
	}
	return signet.NewCavage(keys, opts...)
}

// enumOption returns the value that the option name, set to value, selects
// among values.
func enumOption[T any](name, value string, values map[string]T) (T, error) {
	v, ok := values[value]
	if !ok {
		return v, fmt.Errorf("options: %s %q is not one of %s", name, value, strings.Join(slices.Sorted(maps.Keys(values)), ", "))
	}
	return v, nil
}

// maxSeconds bounds the durations options give in seconds, well within
// time.Duration.
const maxSeconds = 1 << 32

// seconds converts the option name, s seconds (fractions kept to the
// nanosecond), to a duration. A negative s is passed on for signet to
// judge.
func seconds(name string, s float64) (time.Duration, error) {
	if math.Abs(s) > maxSeconds {
		return 0, fmt.Errorf("options: %s %v is out of range", name, s)
	}
	return time.Duration(math.Round(s * float64(time.Second))), nil
}

// decodeOptions decodes a scheme's options into v; absent or null options
// leave v as it is.
func decodeOptions(raw json.RawMessage, v any) error {
	if raw == nil {
		return nil
	}
	if err := decodeStrict(raw, v); err != nil {
		return fmt.Errorf("options: %w", err)
	}
	return nil
}

// decodeStrict decodes the single JSON value in data into v, rejecting
// unknown object members and anything after the value. Member names must
// be the json tags exactly: encoding/json alone would also take "SCHEME",
// "Keys" or "ſcheme" for "scheme".
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON value")
	}
	return checkNames(data, reflect.TypeOf(v), "")
}

// rawMessageType is json.RawMessage, whose members are not checked here:
// options are checked when their scheme decodes them, credentials are any
// JSON, and a JWKS has its own format.
var rawMessageType = reflect.TypeFor[json.RawMessage]()

// checkNames checks that every object member in data, a JSON value that
// decodes into a t, is named exactly as a field's json tag, at every level
// of nesting. at locates data in the error ("" for the top level).
func checkNames(data []byte, t reflect.Type, at string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == rawMessageType:
	case t.Kind() == reflect.Struct:
		var members map[string]json.RawMessage
		if json.Unmarshal(data, &members) != nil {
			return nil // null: the decoder judged it
		}
		fields := jsonFields(t, map[string]reflect.Type{})
		for _, name := range slices.Sorted(maps.Keys(members)) {
			field, ok := fields[name]
			if !ok && at == "" {
				return fmt.Errorf("json: unknown field %q (names are matched exactly)", name)
			} else if !ok {
				return fmt.Errorf("json: unknown field %q in %s (names are matched exactly)", name, at)
			}
			inner := name
			if at != "" {
				inner = at + "." + name
			}
			if err := checkNames(members[name], field, inner); err != nil {
				return err
			}
		}
	case t.Kind() == reflect.Slice:
		var elements []json.RawMessage
		if json.Unmarshal(data, &elements) != nil {
			return nil // null: the decoder judged it
		}
		for i, e := range elements {
			if err := checkNames(e, t.Elem(), fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// jsonFields adds the JSON names of t's fields to fields, with their types:
// a field's json tag name, or its Go name when the tag gives none, and the
// fields of an embedded struct without a tag, as encoding/json promotes
// them.
func jsonFields(t reflect.Type, fields map[string]reflect.Type) map[string]reflect.Type {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			jsonFields(f.Type, fields)
		case !f.IsExported() || name == "-":
		case name == "":
			fields[f.Name] = f.Type
		default:
			fields[name] = f.Type
		}
	}
	return fields
}

// clock is a verifier's clock: the real time, or a frozen instant that
// PUT /_conformance/clock may move while requests read it.
type clock struct {
	frozen atomic.Pointer[time.Time] // nil: the real clock
}

// Now returns the frozen instant, or the real time.
func (c *clock) Now() time.Time {
	if t := c.frozen.Load(); t != nil {
		return *t
	}
	return time.Now()
}

// set freezes the clock at unix seconds now (fractions kept to the
// nanosecond), or unfreezes it when now is nil.
func (c *clock) set(now *float64) error {
	if now == nil {
		c.frozen.Store(nil)
		return nil
	}
	const limit = 1 << 40 // far beyond any date a test uses, well within time.Time
	if math.Abs(*now) > limit {
		return fmt.Errorf("now %v is out of range", *now)
	}
	sec := math.Floor(*now)
	t := time.Unix(int64(sec), int64(math.Round((*now-sec)*1e9)))
	c.frozen.Store(&t)
	return nil
}
