package signet

import (
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

// Key is key material prepared once for fast, concurrent use: an HMAC
// secret keeps a pool of keyed hash states per hash function, so a
// verification never re-derives the HMAC pads. Build it with NewHMACKey,
// NewPublicKey or NewPrivateKey (or parse PEM with ParsePublicKeyPEM and
// ParsePrivateKeyPEM) and share it; a Key is immutable and safe for
// concurrent use.
type Key struct {
	secret  []byte
	macs    [crypto.BLAKE2b_512 + 1]sync.Pool // keyed HMAC states, by crypto.Hash
	signway signwayDayKeys                    // Signway's derived day keys (signway_key.go)

	kind   keyKind
	public crypto.PublicKey // *rsa.PublicKey, *ecdsa.PublicKey (P-256) or ed25519.PublicKey
	signer crypto.Signer    // nil for a verification-only key

	identityOnce sync.Once
	identity     [sha256.Size]byte // see identify
}

// identify returns a digest of the key material, the same for every Key
// made from the same secret or public key. A nonce record names the key
// by it: a key id is not signed, and one key may go by several.
func (k *Key) identify() *[sha256.Size]byte {
	k.identityOnce.Do(func() {
		h := sha256.New()
		if k.kind == hmacKey {
			h.Write([]byte("hmac\x00"))
			h.Write(k.secret)
		} else {
			der, _ := x509.MarshalPKIXPublicKey(k.public) // NewPublicKey's types all marshal
			h.Write([]byte("public\x00"))
			h.Write(der)
		}
		h.Sum(k.identity[:0])
	})
	return &k.identity
}

// NewHMACKey prepares a shared secret for HMAC schemes. The bytes are
// copied. Use at least 32 random bytes (pysigned requires 64): a short or
// guessable secret can be found from one signed request by trying
// candidates offline. An empty secret protects nothing: signers refuse it
// when they are built, and verifiers refuse it (a StaticKeys store when it
// is built, any other store per request).
func NewHMACKey(secret []byte) *Key {
	return &Key{kind: hmacKey, secret: append([]byte(nil), secret...)}
}

// emptySecret reports whether k is an HMAC secret of no bytes.
func (k *Key) emptySecret() bool { return k != nil && k.kind == hmacKey && len(k.secret) == 0 }

// unusable says why k, from a key store, verifies nothing in any scheme,
// or "" if it may: no Key, a zero Key or an empty HMAC secret.
func (k *Key) unusable() string {
	switch {
	case k == nil:
		return "has no Key"
	case k.kind == 0:
		return "is a zero Key (build one with NewHMACKey, NewPublicKey or NewPrivateKey)"
	case k.emptySecret():
		return "is an empty HMAC secret, which anyone could sign with (an unset environment variable?)"
	}
	return ""
}

// errEmptySecret is a signer's error for an HMAC secret of no bytes, as
// verifiers refuse one.
var errEmptySecret = errors.New("signet: the HMAC secret is empty, which anyone could sign with (an unset environment variable?)")

// IsHMAC reports whether k is a shared secret.
func (k *Key) IsHMAC() bool { return k != nil && k.kind == hmacKey }

// String never prints key material.
func (k *Key) String() string { return "signet.Key(redacted)" }

// Format prints String whatever the verb (%v, %#v, %d, %x, …), so that no
// format string prints key material.
func (k *Key) Format(f fmt.State, _ rune) { io.WriteString(f, k.String()) }

// Secret is what a KeyStore returns for a key id: the key, the algorithm it is
// pinned to, and the credentials of the caller who owns it.
type Secret struct {
	// ID is the key id, reported in Result.KeyID. Schemes whose requests carry
	// no key id report the ID of the Secret that matched.
	ID string
	// Key is the verification key.
	Key *Key
	// Algorithm pins the key to one algorithm name of the scheme (a Cavage
	// label, SASigning's "hmac-<hash>", Signway's "SW1-HMAC-SHA256", …); ""
	// lets the key type decide. A request for another algorithm is refused
	// with unsupported_algorithm; a name the scheme does not know makes the
	// secret unusable (503, and NewStaticKeys' store is refused when the
	// verifier is built).
	Algorithm string
	// Credentials describe the caller; handlers read them through their
	// adapter's Credentials (net/http, gin and echo also put the Result on
	// the request's context: see CredentialsFrom).
	Credentials any
}

// KeyStore looks keys up by id. Lookup returns every Secret valid for keyID,
// in the order to try them (several during a rotation); a verifier tries at
// most the first 16. Schemes whose requests carry no key id call Lookup
// with AnyKeyID. An id it does not know is ErrUnknownKey (or an empty
// result). An *Error (see NewError: a revoked key, say) is the client's
// answer as it is; any other error is reported as ErrUnavailable without
// its text reaching the client (Error.Cause keeps it for the server's logs).
//
// Lookup must be safe for concurrent use. ctx is the one given to Verify.
// keyID is valid only until Lookup returns: it may alias memory reused by
// later requests (fasthttp's request buffers; signet's scratch, for an id
// the URL had to percent-decode), so clone it (strings.Clone) to keep it,
// in a cache or in Credentials say. A Secret's ID may be keyID itself:
// the verifier copies it then. The verifier reads the returned slice during
// Verify and neither modifies nor keeps it: the Result gets the matching
// Secret's ID and Credentials.
type KeyStore interface {
	Lookup(ctx context.Context, keyID string) ([]Secret, error)
}

// AnyKeyID is the key id a scheme without key ids asks a KeyStore for.
const AnyKeyID = ""

// KeyFunc adapts a function to a KeyStore, as http.HandlerFunc does for
// handlers: the getSecret callback.
type KeyFunc func(ctx context.Context, keyID string) ([]Secret, error)

// Lookup calls f.
func (f KeyFunc) Lookup(ctx context.Context, keyID string) ([]Secret, error) { return f(ctx, keyID) }

// StaticKeys is an immutable in-memory KeyStore. Secrets sharing an ID are
// tried in the order given; AnyKeyID yields every secret in that order. A
// verifier given one (or a JWKSKeys) refuses, when it is built, a secret
// that would fail every request: a key of a kind its scheme does not
// verify with, or (but for signed URLs, whose spec skips it per request) one
// pinned to an algorithm for another kind of key. A store shared by
// verifiers of several schemes may then need splitting, one per verifier.
type StaticKeys struct {
	byID map[string][]Secret
	all  []Secret
}

// NewStaticKeys returns a KeyStore holding secrets. Every secret needs a
// usable Key (not a zero Key, nor an empty HMAC secret), and no id more
// than 16 secrets (a verifier tries no more).
func NewStaticKeys(secrets ...Secret) (*StaticKeys, error) {
	s := &StaticKeys{byID: make(map[string][]Secret), all: append([]Secret(nil), secrets...)}
	for i, sec := range secrets {
		if why := sec.Key.unusable(); why != "" {
			return nil, fmt.Errorf("signet: secret %d (id %q) %s", i, sec.ID, why)
		}
		if s.byID[sec.ID] = append(s.byID[sec.ID], sec); len(s.byID[sec.ID]) > maxCandidates {
			return nil, fmt.Errorf("signet: more than %d secrets under the id %q, which a verifier would not all try", maxCandidates, sec.ID)
		}
	}
	return s, nil
}

func (s *StaticKeys) fixed() []Secret { return s.all }

// fixedKeys is a store whose secrets never change (StaticKeys, JWKSKeys):
// a constructor can check them once.
type fixedKeys interface{ fixed() []Secret }

// Lookup returns the secrets of keyID, or every secret for AnyKeyID.
func (s *StaticKeys) Lookup(_ context.Context, keyID string) ([]Secret, error) {
	if keyID == AnyKeyID {
		return slices.Clip(s.all), nil
	}
	if found := s.byID[keyID]; len(found) > 0 {
		return slices.Clip(found), nil // a caller's append must not write into the store
	}
	return nil, ErrUnknownKey
}

// maxCandidates bounds how many secrets one request may make a verifier try,
// so a key store returning many keys cannot turn a request into a CPU sink.
const maxCandidates = 16

// checkCandidates refuses, for a scheme whose requests carry no key id, an
// immutable store (StaticKeys, JWKSKeys) with secrets no request would
// ever try.
func checkCandidates(keys KeyStore) error {
	if fixed, ok := keys.(fixedKeys); ok && len(fixed.fixed()) > maxCandidates {
		return fmt.Errorf("signet: the key store has %d secrets, but a request without a key id tries at most %d: give each group of clients its own verifier, or use a scheme with key ids", len(fixed.fixed()), maxCandidates)
	}
	return nil
}

// checkSecrets refuses a fixed store (StaticKeys, JWKSKeys) with a secret
// that would reject every request, blaming the client: one pinned to a
// name that is not an algorithm name as the scheme reads pins (known, nil
// when usable tells: a typo), or one whose key the scheme cannot verify
// with whatever the request says (usable returns why; see keyKinds). What
// depends on the verifier's configuration (a pin to another algorithm of
// the key's kind, an allow-list, the api-signature dialect's HMAC only) is
// refused per request, as any store's secrets are: one store may serve
// verifiers configured differently. Other stores are checked per request.
func checkSecrets(keys KeyStore, scheme string, known func(name string) bool, usable func(*Secret) error) error {
	fixed, ok := keys.(fixedKeys)
	if !ok {
		return nil
	}
	secrets := fixed.fixed()
	for i := range secrets {
		s := &secrets[i]
		if s.Algorithm != "" && known != nil && !known(s.Algorithm) {
			return fmt.Errorf("signet: secret %d (id %q) is pinned to %q, which is not an algorithm name here", i, s.ID, s.Algorithm)
		}
		if err := usable(s); err != nil {
			pin := ""
			if s.Algorithm != "" {
				pin = fmt.Sprintf(" pinned to %q", s.Algorithm)
			}
			return fmt.Errorf("signet: secret %d (id %q), %s%s, cannot verify %s requests: %w", i, s.ID, s.Key.kind.describe(), pin, scheme, err)
		}
	}
	return nil
}

// keyKinds is checkSecrets' usable for a scheme verifying keys of kinds: a
// key of another kind fails every request.
func keyKinds(kinds ...keyKind) func(*Secret) error {
	return func(s *Secret) error {
		if !slices.Contains(kinds, s.Key.kind) {
			names := make([]string, len(kinds))
			for i, k := range kinds {
				names[i] = k.describe()
			}
			return fmt.Errorf("it needs %s%s", strings.Join(names, " or "), sharedStoreHint)
		}
		return nil
	}
}

// sharedStoreHint ends the error of a key of the wrong kind: a store meant
// for verifiers of several schemes.
const sharedStoreHint = " (a store shared with another scheme's verifier: give each verifier a store of its own keys)"

// pinnedKeyKinds is keyKinds, and a key pinned to an algorithm for another
// kind of key fails every request too.
func pinnedKeyKinds(kinds ...keyKind) func(*Secret) error {
	usable := keyKinds(kinds...)
	return func(s *Secret) error {
		if err := usable(s); err != nil {
			return err
		}
		if k := pinKind(s.Algorithm); k != 0 && k != s.Key.kind {
			return fmt.Errorf("%s needs %s%s", s.Algorithm, k.describe(), sharedStoreHint)
		}
		return nil
	}
}

// pinKind is the kind of key the algorithm a pin names needs, as schemes
// read pins (a Cavage label in any case, hmac-<hash>, SW1-HMAC-SHA256), or
// 0 for a name that needs none in particular (hs2019) or that none knows.
func pinKind(pin string) keyKind {
	pin = strings.ToLower(pin)
	if alg, _ := cavageAlgorithm(pin); alg != nil {
		return alg.kind
	}
	if strings.HasPrefix(pin, "hmac-") || strings.HasPrefix(pin, "sw1-hmac-") {
		return hmacKey
	}
	return 0
}

// isAlgorithmName reports whether name is one of signet's algorithm names
// (the Cavage labels), as written.
func isAlgorithmName(name string) bool {
	_, ok := cavageAlgorithm(name)
	return ok
}

// lookup asks the store for keyID and turns its answer into verifier errors.
func lookup(ctx context.Context, store KeyStore, keyID string) ([]Secret, error) {
	secrets, err := store.Lookup(ctx, keyID)
	if err == nil && len(secrets) > 0 { // first: the usual answer needs no errors.As
		return secrets[:min(len(secrets), maxCandidates)], nil
	}
	return nil, lookupError(err, keyID)
}

// lookupError is the verifier's error for a lookup that found no secret.
func lookupError(err error, keyID string) error {
	var answer *Error
	switch {
	case errors.As(err, &answer): // the store's own answer to the client
		return AsError(answer) // a nil or zero *Error is the server's mistake
	case err != nil && !errors.Is(err, ErrUnknownKey):
		return &Error{kind: ErrUnavailable, message: "the key could not be looked up; try again later", cause: err}
	case keyID == AnyKeyID: // unknown, or no secrets
		return newError(ErrUnknownKey, "no key is configured to verify this request")
	}
	return newError(ErrUnknownKey, "the key id is not known to this server")
}
