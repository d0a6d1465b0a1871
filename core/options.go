package signet

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// DefaultMaxBodyBytes is how much of a body a verifier reads unless
// WithMaxBodyBytes says otherwise.
const DefaultMaxBodyBytes = 1 << 20

// Option configures what verifiers and signers of every scheme share. A
// scheme that has no use for an option rejects it at construction, so a
// misconfiguration never goes unnoticed.
type Option struct {
	name  string
	apply func(*settings) error
}

// settings are the options every scheme shares.
type settings struct {
	now          func() time.Time
	clockSkew    time.Duration
	maxAge       time.Duration
	maxBodyBytes int64
	algorithms   []string
	nonces       NonceStore
}

func defaultSettings() settings {
	return settings{now: time.Now, maxBodyBytes: DefaultMaxBodyBytes}
}

// applyTo applies o for user, a verifier ("cavage scheme") or a signer
// ("cavage signer"), which accepts only the options named in supported.
// Signers take WithClock (and signedurl's, WithMaxAge), never what only a
// verifier uses.
func (o Option) applyTo(s *settings, user string, supported ...string) error {
	if o.apply == nil {
		return errors.New("signet: zero Option")
	}
	if !slices.Contains(supported, o.name) {
		return fmt.Errorf("signet: %s is not used by the %s", o.name, user)
	}
	return o.apply(s)
}

// WithClock sets the clock verifiers and signers read (default time.Now). A
// MemoryNonceStore given to such a verifier must read the same clock (its
// Now).
func WithClock(now func() time.Time) Option {
	return Option{"WithClock", func(s *settings) error {
		if now == nil {
			return errors.New("signet: WithClock(nil)")
		}
		s.now = now
		return nil
	}}
}

// WithClockSkew sets how far a signature's creation time may be ahead of
// the clock, and for schemes that sign a Date header (Cavage), how far that
// Date may be from the clock either way; for pysigned, whose URLs carry no
// creation time, how long after its exp a URL is still accepted (as
// PysignedSkew). Each scheme documents its default. 0 allows no skew, but
// in Cavage's api-signature dialect it is upstream's requestLifetime 0: no
// Date window at all; Cavage refuses any other skew under 1s, as its dates
// are whole seconds.
func WithClockSkew(d time.Duration) Option {
	return Option{"WithClockSkew", func(s *settings) error {
		if d < 0 {
			return fmt.Errorf("signet: negative clock skew %v", d)
		}
		s.clockSkew = d
		return nil
	}}
}

// WithMaxAge bounds how old a signature may be, whatever its own expiry
// says (the maximum TTL). A signature that carries an expiry but no
// creation time is accepted only during the last d before it expires.
func WithMaxAge(d time.Duration) Option {
	return Option{"WithMaxAge", func(s *settings) error {
		if d <= 0 {
			return fmt.Errorf("signet: max age must be positive, got %v", d)
		}
		s.maxAge = d
		return nil
	}}
}

// WithMaxBodyBytes bounds how much body a verifier reads (default
// DefaultMaxBodyBytes); a larger body is rejected with 413.
func WithMaxBodyBytes(n int64) Option {
	return Option{"WithMaxBodyBytes", func(s *settings) error {
		if n <= 0 {
			return fmt.Errorf("signet: max body bytes must be positive, got %d", n)
		}
		s.maxBodyBytes = n
		return nil
	}}
}

// WithAlgorithms allows only the named algorithms, matched exactly: for
// Cavage, among hmac-sha1, hmac-sha256, hmac-sha512, rsa-sha1 (never
// allowed otherwise), rsa-sha256, rsa-sha512, ecdsa-sha256, ed25519,
// ed25519-sha512 and hs2019; for signed URLs, hmac-sha256 and ed25519; for
// pysigned, hmac-sha512 and ed25519. SASigning and Signway, which have one
// algorithm each, refuse it.
func WithAlgorithms(names ...string) Option {
	return Option{"WithAlgorithms", func(s *settings) error {
		if len(names) == 0 {
			return errors.New("signet: WithAlgorithms needs at least one algorithm")
		}
		s.algorithms = slices.Clone(names)
		return nil
	}}
}

// checkReplay refuses replay protection without a maximum age, for schemes
// whose signatures may otherwise stay valid (and their records kept) for
// as long as the signer chose.
func (s *settings) checkReplay() error {
	if s.nonces != nil && s.maxAge == 0 {
		return errors.New("signet: replay protection needs WithMaxAge, so a nonce can be forgotten")
	}
	return nil
}

// keyChecks say how a verifier constructor checks a fixed key store.
type keyChecks struct {
	anyKeyID bool                // requests carry no key id (checkCandidates)
	known    func(string) bool   // the algorithm names of pins (checkSecrets, storeFault)
	usable   func(*Secret) error // what a secret must be (checkSecrets)
}

// newPipeline is the verifier of scheme name, with the options applied (s)
// and the keys checked as every verifier constructor checks them: keys is
// needed (constructor names it in the error), replay protection must be
// able to forget (checkReplay), and a fixed store must pass checks.
func newPipeline(constructor, name string, keys KeyStore, s settings, checks keyChecks) (pipeline, error) {
	if keys == nil {
		return pipeline{}, fmt.Errorf("signet: %s needs a KeyStore", constructor)
	}
	if isNil(keys) {
		return pipeline{}, fmt.Errorf("signet: %s needs a KeyStore, not a nil %T (a call's unchecked error, or an unset field?)", constructor, keys)
	}
	if err := s.checkReplay(); err != nil {
		return pipeline{}, err
	}
	if checks.anyKeyID {
		if err := checkCandidates(keys); err != nil {
			return pipeline{}, err
		}
	}
	if err := checkSecrets(keys, name, checks.known, checks.usable); err != nil {
		return pipeline{}, err
	}
	return pipeline{name: name, keys: keys, known: checks.known, settings: s}, nil
}

// WithNonceStore turns on replay protection: a request is accepted once, and
// only after it passed every other check. Cavage, Signway and pysigned also
// need WithMaxAge (SASigning, its timestamp field), so that every record
// can be forgotten. Signed times are whole seconds: two identical requests
// signed in the same second are one request, so clients that repeat
// requests must sign something unique in each (an X-Request-Id header).
func WithNonceStore(store NonceStore) Option {
	return Option{"WithNonceStore", func(s *settings) error {
		if store == nil {
			return errors.New("signet: WithNonceStore(nil)")
		}
		s.nonces = store
		return nil
	}}
}

// applyOptions applies opts to c in order with apply; a nil option is the
// error "signet: nil <name>".
func applyOptions[O any, C any](opts []O, name string, apply func(O, *C) error, c *C) error {
	for _, o := range opts {
		if any(o) == nil {
			return errors.New("signet: nil " + name)
		}
		if err := apply(o, c); err != nil {
			return err
		}
	}
	return nil
}
