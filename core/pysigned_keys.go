package signet

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	neturl "net/url"
	"os"
	"slices"
	"time"
)

// DefaultKeyID returns the id pysigned gives k when none is set: the
// sha512 of the HMAC secret, or of the 32 raw bytes of an Ed25519 public
// key, as 128 lower-case hex characters in 0.1.0 – 0.2.5, as the first 12
// characters of its padded urlsafe base64 in 0.2.6 – 0.2.8.
func (v PysignedVersion) DefaultKeyID(k *Key) (string, error) {
	if err := v.valid(); err != nil {
		return "", err
	}
	var idBytes []byte
	switch {
	case k == nil:
		return "", errors.New("signet: DefaultKeyID(nil)")
	case k.kind == hmacKey:
		idBytes = k.secret
	case k.kind == ed25519Key:
		idBytes = k.public.(ed25519.PublicKey)
	default:
		return "", fmt.Errorf("signet: pysigned has no %s keys", k.kind)
	}
	sum := sha512.Sum512(idBytes)
	if v == Pysigned025 {
		return hex.EncodeToString(sum[:]), nil
	}
	return base64.URLEncoding.EncodeToString(sum[:])[:12], nil
}

// JWKSKeys is a KeyStore holding the keys of a JSON Web Key Set read the way
// pysigned's KeySet.from_jwks reads one: HMAC secrets ({"kty": "oct",
// "alg": "HS512", "k"}), Ed25519 public keys ({"kty": "OKP", "crv":
// "Ed25519", "x"}) and Ed25519 key pairs (with "d", which can sign), each
// under its kid or its default id (PysignedVersion.DefaultKeyID). It is
// immutable and safe for concurrent use.
type JWKSKeys struct {
	static *StaticKeys
}

// Lookup returns the keys of keyID, or every key, in the set's order, for
// AnyKeyID.
func (s *JWKSKeys) Lookup(ctx context.Context, keyID string) ([]Secret, error) {
	if s.static == nil { // a zero JWKSKeys holds no key
		return nil, ErrUnknownKey
	}
	return s.static.Lookup(ctx, keyID)
}

func (s *JWKSKeys) fixed() []Secret {
	if s.static == nil { // a zero JWKSKeys holds no key
		return nil
	}
	return s.static.all
}

// Secrets returns a copy of the keys, in the set's order (to add
// credentials, say, and build a StaticKeys).
func (s *JWKSKeys) Secrets() []Secret { return slices.Clone(s.fixed()) }

// SigningKey returns the key pysigned signs with by default, the last one,
// and its id. It is an error when that key cannot sign (an Ed25519 public
// key).
//
// A 0.2.8 signer with PysignedRequireKid writes the key's default id
// (PysignedVersion.DefaultKeyID) unless told otherwise, not the kid the set
// gives the key: give it PysignedKeyID(id), or verifiers looking the kid
// up in the set will not find it.
func (s *JWKSKeys) SigningKey() (id string, key *Key, err error) {
	all := s.fixed()
	if len(all) == 0 {
		return "", nil, errors.New("signet: the key set is empty")
	}
	last := all[len(all)-1]
	if last.Key.kind == ed25519Key && last.Key.signer == nil {
		return "", nil, fmt.Errorf("signet: the last key of the set (%q) is an Ed25519 public key, which cannot sign", last.ID)
	}
	return last.ID, last.Key, nil
}

// JWKSOption configures ParseJWKS, JWKSFromEnv and FetchJWKS. A
// PysignedVersion is one: it decides the default key ids and whether a
// duplicate id is an error (0.2.8) or replaces the earlier key in its place
// (0.2.5, the default).
type JWKSOption interface {
	applyJWKS(*jwksConfig) error
}

type jwksOption func(*jwksConfig) error

func (o jwksOption) applyJWKS(c *jwksConfig) error { return o(c) }

type jwksConfig struct {
	version  PysignedVersion
	timeout  time.Duration
	maxBytes int64
	fetching bool // FetchJWKS: the timeout and size limit apply
	set      []string
}

// Defaults of FetchJWKS.
const (
	// DefaultJWKSTimeout bounds a whole fetch unless JWKSTimeout says
	// otherwise.
	DefaultJWKSTimeout = 10 * time.Second
	// DefaultJWKSMaxBytes bounds the document unless JWKSMaxBytes says
	// otherwise.
	DefaultJWKSMaxBytes = 1 << 20
)

// JWKSTimeout bounds how long FetchJWKS waits for the whole answer
// (default DefaultJWKSTimeout), on top of the client's own timeout.
func JWKSTimeout(d time.Duration) JWKSOption {
	return jwksOption(func(c *jwksConfig) error {
		if d <= 0 {
			return fmt.Errorf("signet: JWKS timeout must be positive, got %v", d)
		}
		c.timeout, c.set = d, append(c.set, "JWKSTimeout")
		return nil
	})
}

// JWKSMaxBytes bounds the size of the document FetchJWKS reads (default
// DefaultJWKSMaxBytes).
func JWKSMaxBytes(n int64) JWKSOption {
	return jwksOption(func(c *jwksConfig) error {
		if n <= 0 {
			return fmt.Errorf("signet: JWKS max bytes must be positive, got %d", n)
		}
		c.maxBytes, c.set = n, append(c.set, "JWKSMaxBytes")
		return nil
	})
}

func newJWKSConfig(fetching bool, opts []JWKSOption) (*jwksConfig, error) {
	c := &jwksConfig{version: Pysigned025, timeout: DefaultJWKSTimeout, maxBytes: DefaultJWKSMaxBytes, fetching: fetching}
	if err := applyOptions(opts, "JWKSOption", JWKSOption.applyJWKS, c); err != nil {
		return nil, err
	}
	if !fetching && len(c.set) > 0 {
		return nil, fmt.Errorf("signet: %s is only used by FetchJWKS", c.set[0])
	}
	return c, nil
}

// ParseJWKS reads a JSON Web Key Set document ({"keys": [...]}) as
// pysigned's KeySet.from_jwks does: JWKs matched by kty, crv and alg, other
// members ignored, values in base64url with or without padding. A missing
// or empty keys list, a JWK of another type, an HMAC key shorter than 64
// bytes, or a key pair whose x is not d's public key is an error.
func ParseJWKS(data []byte, opts ...JWKSOption) (*JWKSKeys, error) {
	c, err := newJWKSConfig(false, opts)
	if err != nil {
		return nil, err
	}
	return c.parse(data)
}

// JWKSFromEnv reads the JSON Web Key Set in the environment variable name,
// as pysigned's KeySet.from_env does.
func JWKSFromEnv(name string, opts ...JWKSOption) (*JWKSKeys, error) {
	c, err := newJWKSConfig(false, opts)
	if err != nil {
		return nil, err
	}
	data, ok := os.LookupEnv(name)
	if !ok {
		return nil, fmt.Errorf("signet: the environment variable %s is not set", name)
	}
	return c.parse([]byte(data))
}

// FetchJWKS gets the JSON Web Key Set at url with client (nil:
// http.DefaultClient), as pysigned's KeySet.from_url does: one GET, a 200
// answer, a body of at most JWKSMaxBytes, the whole exchange within
// JWKSTimeout. Redirects are followed as client follows them, but never
// from https to http, where anyone on the network could answer with keys.
func FetchJWKS(ctx context.Context, client *http.Client, url string, opts ...JWKSOption) (*JWKSKeys, error) {
	c, err := newJWKSConfig(true, opts)
	if err != nil {
		return nil, err
	}
	if client == nil {
		client = http.DefaultClient
	}
	client = noDowngrade(client)
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		var bad *neturl.Error
		if errors.As(err, &bad) {
			err = bad.Err // without the URL, which may hold a password
		}
		return nil, fmt.Errorf("signet: the JWKS url is not valid: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "signet")
	resp, err := client.Do(req)
	if err != nil {
		var failed *neturl.Error
		if errors.As(err, &failed) {
			err = failed.Err // without the URL's query, which may hold a token
		}
		return nil, fmt.Errorf("signet: fetching the JWKS at %s: %w", location(req.URL), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("signet: fetching the JWKS: %s answered %s", location(resp.Request.URL), resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, min(c.maxBytes, math.MaxInt64-1)+1)) // one byte more tells a larger document
	if err != nil {
		return nil, fmt.Errorf("signet: fetching the JWKS: %w", err)
	}
	if int64(len(data)) > c.maxBytes {
		return nil, fmt.Errorf("signet: the JWKS at %s is larger than %d bytes", location(resp.Request.URL), c.maxBytes)
	}
	return c.parse(data)
}

// location is u for an error message: its scheme, host and path, without
// the user info or query that may hold a password or a token.
func location(u *neturl.URL) string {
	return (&neturl.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path, RawPath: u.RawPath}).String()
}

// noDowngrade returns a copy of client that refuses a redirect from https
// to http, and otherwise redirects as client does.
func noDowngrade(client *http.Client) *http.Client {
	copied := *client
	copied.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
			return fmt.Errorf("signet: the JWKS at %s redirects to %s, off https", location(via[0].URL), location(req.URL))
		}
		if client.CheckRedirect != nil {
			return client.CheckRedirect(req, via)
		}
		if len(via) >= 10 { // http.Client's default
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &copied
}

// parse decodes a JWKS document into keys.
func (c *jwksConfig) parse(data []byte) (*JWKSKeys, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("signet: the JWKS is not a JSON object: %w", err)
	}
	var jwks []json.RawMessage
	if raw, ok := doc["keys"]; ok && !bytes.Equal(raw, []byte("null")) {
		if err := json.Unmarshal(raw, &jwks); err != nil {
			return nil, errors.New("signet: the JWKS keys member is not a list")
		}
	}
	if len(jwks) == 0 {
		return nil, errors.New("signet: no 'keys' provided in the JWKS")
	}
	var secrets []Secret
	index := map[string]int{} // id → position in secrets
	for i, raw := range jwks {
		s, err := c.parseJWK(raw)
		if err != nil {
			return nil, fmt.Errorf("signet: JWKS key %d: %w", i, err)
		}
		j, dup := index[s.ID]
		switch {
		case dup && c.version == Pysigned028:
			return nil, fmt.Errorf("signet: JWKS key %d: duplicate key id %q", i, s.ID)
		case dup: // 0.2.5's dict: the later key, in the earlier one's place
			secrets[j] = s
		default:
			index[s.ID] = len(secrets)
			secrets = append(secrets, s)
		}
	}
	static, err := NewStaticKeys(secrets...)
	if err != nil {
		return nil, err
	}
	return &JWKSKeys{static: static}, nil
}

// parseJWK reads one JWK by pysigned's patterns, in its order: an Ed25519
// key pair, an Ed25519 public key, an HS512 secret.
func (c *jwksConfig) parseJWK(raw json.RawMessage) (Secret, error) {
	var jwk map[string]any
	if err := json.Unmarshal(raw, &jwk); err != nil || jwk == nil {
		return Secret{}, errors.New("not a JSON object")
	}
	is := func(name, want string) bool { v, ok := jwk[name].(string); return ok && v == want }
	b64 := func(name string) ([]byte, bool, error) {
		v, ok := jwk[name]
		if !ok {
			return nil, false, nil
		}
		s, ok := v.(string)
		if !ok {
			return nil, true, fmt.Errorf("%s is not a string", name)
		}
		b, err := pyURLSafeB64Decode(s)
		if err != nil {
			return nil, true, fmt.Errorf("%s: %w", name, err)
		}
		return b, true, nil
	}
	var key *Key
	var err error
	switch {
	case is("kty", "OKP") && is("crv", "Ed25519"):
		x, hasX, err := b64("x")
		if err != nil {
			return Secret{}, err
		}
		d, hasD, err := b64("d")
		switch {
		case err != nil:
			return Secret{}, err
		case !hasX:
			return Secret{}, errors.New("unknown key type in jwks")
		case len(x) != ed25519.PublicKeySize:
			return Secret{}, fmt.Errorf("an Ed25519 public key has %d bytes, not %d", len(x), ed25519.PublicKeySize)
		case !hasD:
			if key, err = NewPublicKey(ed25519.PublicKey(x)); err != nil {
				return Secret{}, err
			}
		case len(d) != ed25519.SeedSize:
			return Secret{}, fmt.Errorf("an Ed25519 seed has %d bytes, not %d", len(d), ed25519.SeedSize)
		default:
			priv := ed25519.NewKeyFromSeed(d)
			if !bytes.Equal(priv.Public().(ed25519.PublicKey), x) {
				return Secret{}, errors.New("x is not the public key of d")
			}
			if key, err = NewPrivateKey(priv); err != nil {
				return Secret{}, err
			}
		}
	case is("kty", "oct") && is("alg", "HS512"):
		k, hasK, err := b64("k")
		switch {
		case err != nil:
			return Secret{}, err
		case !hasK:
			return Secret{}, errors.New("unknown key type in jwks")
		case len(k) < minPysignedHMACKey:
			return Secret{}, fmt.Errorf("an HS512 key has %d bytes, fewer than %d", len(k), minPysignedHMACKey)
		}
		key = NewHMACKey(k)
	case is("kty", "oct"):
		return Secret{}, errors.New(`an oct key needs "alg": "HS512" (pysigned's HMAC-SHA512)`)
	default:
		return Secret{}, errors.New("unknown key type in jwks (pysigned reads oct/HS512 and OKP/Ed25519)")
	}
	s := Secret{Key: key}
	switch kid := jwk["kid"].(type) {
	case string:
		s.ID = kid
	case nil:
	default:
		return Secret{}, errors.New("kid is not a string")
	}
	if s.ID == "" {
		if s.ID, err = c.version.DefaultKeyID(key); err != nil {
			return Secret{}, err
		}
	}
	return s, nil
}

// pyURLSafeB64Decode decodes s as pysigned's _unpadded_b64decode: padding
// added to a multiple of four characters, then Python's non-validating
// urlsafe_b64decode: both alphabets, other characters skipped, decoding
// stopped by a complete pad, and an error for a dangling character or a
// missing pad.
func pyURLSafeB64Decode(s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return nil, errors.New("not ASCII")
		}
	}
	for n := len(s) % 4; n != 0 && n < 4; n++ {
		s += "="
	}
	var out []byte
	var acc uint32
	quad, pads := 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '=' {
			if quad >= 2 {
				if pads++; quad+pads >= 4 {
					break // a complete pad ends the data
				}
			}
			continue
		}
		v := nodeBase64[c] // both alphabets
		if v < 0 {
			continue
		}
		pads = 0
		acc = acc<<6 | uint32(v)
		switch quad {
		case 1:
			out = append(out, byte(acc>>4))
		case 2:
			out = append(out, byte(acc>>2))
		case 3:
			out = append(out, byte(acc))
		}
		acc &= 0xFF
		quad = (quad + 1) % 4
	}
	if quad == 1 {
		return nil, errors.New("invalid base64: a dangling character")
	}
	if quad != 0 && quad+pads < 4 {
		return nil, errors.New("invalid base64: incorrect padding")
	}
	return out, nil
}
