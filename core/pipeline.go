package signet

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"
)

// Verifier verifies requests. Every scheme's verifier implements it; it is
// built once, immutable, and safe for concurrent use.
type Verifier interface {
	// Verify checks r and returns what it proved, or an *Error.
	Verify(ctx context.Context, r Request) (*Result, error)
}

// CheckVerifier returns an error for a v that would fail every request: nil,
// a nil pointer (a verifier whose constructor's error went unchecked) or a
// nil func, which would panic on the first one, or one of this package's
// verifiers that its constructor did not build (&signet.Cavage{}, a
// FirstOf without NewFirstOf). Adapters call it when they are built,
// so that the mistake shows at startup.
func CheckVerifier(v Verifier) error {
	if v == nil {
		return errors.New("signet: no Verifier")
	}
	if isNil(v) {
		return fmt.Errorf("signet: the Verifier is a nil %T: check the error of the constructor that returned it", v)
	}
	if f, ok := v.(*FirstOf); ok && len(f.verifiers) == 0 {
		return errors.New("signet: a FirstOf without verifiers: build it with NewFirstOf")
	}
	if b, ok := v.(interface{ built() bool }); ok && !b.built() {
		return fmt.Errorf("signet: the %T was not built by its constructor (a struct literal?): use its New function", v)
	}
	return nil
}

// isNil reports whether x is a nil pointer or func, whose methods would
// panic on the first request (a nil KeyFunc from a config struct's unset
// field, say).
func isNil(x any) bool {
	switch rv := reflect.ValueOf(x); rv.Kind() {
	case reflect.Pointer, reflect.Func:
		return rv.IsNil()
	}
	return false
}

// VerifyRequest runs v on r as an adapter does and returns exactly one of a
// Result and an *Error: AsError of v's error or, for a Verifier outside
// this package that returns neither a Result nor an error, ErrUnavailable
// (so a handler never runs without a Result). Keep the *Error in a variable
// of that type: a nil *Error stored in an error variable is not a nil
// error.
func VerifyRequest(ctx context.Context, v Verifier, r Request) (*Result, *Error) {
	res, err := v.Verify(ctx, r)
	switch {
	case err != nil:
		return nil, AsError(err)
	case res == nil:
		return nil, errNoResult
	}
	return res, nil
}

// errNoResult answers a request whose Verifier returned neither a Result
// nor an error.
var errNoResult = &Error{kind: ErrUnavailable, message: "the request could not be verified",
	cause: errors.New("signet: the Verifier returned neither a Result nor an error")}

// IntoVerifier is a Verifier that can also verify into a Result the caller
// provides, so that a caller reusing its Results (an adapter pooling them
// per request) verifies without allocating. Every verifier of this package
// implements it.
//
// Lifetime: VerifyInto keeps no reference to res, and what it writes there
// is as safe to keep as what Verify returns: its strings never alias the
// request or res (they are copies, or the verifier's and key store's own),
// Covered is shared read-only, Details is allocated for this verification. So res itself is valid until its
// owner reuses it, and a copy of it (kept := *res) stays valid after that.
// A Result filled by VerifyInto carries no context: NewContext with it
// allocates.
type IntoVerifier interface {
	Verifier
	// VerifyInto is Verify writing the Result into res, every field of
	// which it overwrites. On error res is left as it was; a nil res only
	// verifies.
	VerifyInto(ctx context.Context, r Request, res *Result) error
}

// AsIntoVerifier returns v as an IntoVerifier, for a caller reusing its
// Results (an adapter pooling them per request), to call once when it is
// built: v itself when it is a verifier of this package, else one whose
// VerifyInto copies the Result v's Verify returns (and answers
// ErrUnavailable for neither a Result nor an error, as VerifyRequest
// does). Any other type goes through its Verify, even one with a
// VerifyInto: a type that embeds a verifier of this package and adds a
// check in its own Verify has the embedded VerifyInto, which skips it.
func AsIntoVerifier(v Verifier) IntoVerifier {
	switch v := v.(type) {
	case *SASigning, *Cavage, *SignedURL, *Pysigned, *Signway, *FirstOf:
		return v.(IntoVerifier)
	}
	return copyingVerifier{v}
}

// copyingVerifier is AsIntoVerifier's IntoVerifier over a Verifier that
// is not one.
type copyingVerifier struct{ Verifier }

func (v copyingVerifier) VerifyInto(ctx context.Context, r Request, res *Result) error {
	got, err := VerifyRequest(ctx, v.Verifier, r)
	if err != nil {
		return err
	}
	if res != nil {
		*res = *got
	}
	return nil
}

// scheme is what one signature scheme contributes to the shared pipeline.
// Every method reads and writes the per-request attempt.
type scheme interface {
	// parse extracts the signature parameters from the request under size
	// limits, setting as much of keyID, signature, created, expires, date
	// and the key-independent part of the canonical message as it can
	// before a key is known (step 1).
	parse(a *attempt) error
	// check enforces the scheme's policy for one candidate secret before
	// any cryptography: algorithm allowed and pinned, coverage (step 3).
	check(a *attempt, s *Secret) error
	// verify builds the canonical message for s and compares the signature
	// in constant time (step 4).
	verify(a *attempt, s *Secret) (bool, error)
	// checkBody verifies what the signature says about the body (step 6).
	checkBody(a *attempt) error
}

// attempt is the state of one verification, pooled so that verifying does
// not allocate per request.
type attempt struct {
	req       Request
	keyID     string        // from the request; AnyKeyID when the scheme has none
	algorithm string        // the algorithm of the matching secret
	signature string        // as sent (aliases the request)
	created   time.Time     // zero when absent
	expires   time.Time     // zero when absent
	date      time.Time     // a signed Date header; zero when absent
	instant   time.Time     // the time of this verification, once read (see now)
	grace     time.Duration // how long after the signed expiry expires is (pysigned's skew)
	covered   []string      // what the signature covers (shared, read-only)
	msg       []byte        // scratch for the canonical message
	sig       []byte        // scratch for the decoded signature
	tag       [128]byte     // scratch for an encoded expected signature
	alg       *algorithm
	params    cavageParams
	pysigned  pysignedState
	pairs     []signedURLPair // scratch for the signed pairs of a signed URL's query
	mac       keyedMAC        // the HMAC state last used, kept for the next attempt with its key
	sc        scheme          // the scheme verifying the request
	home      *resultContext  // the Result's storage, if allocated before it is filled (see httpView)
	http      httpRequest     // the request, when it came from FromHTTP
}

var attempts = sync.Pool{New: func() any { return new(attempt) }}

// maxPooledMessage keeps a giant canonical message from pinning memory.
const maxPooledMessage = 64 << 10

// verify reports whether the attempt's signature is its algorithm's
// signature of msg by k, with the attempt's kept HMAC state and scratch.
func (a *attempt) verify(k *Key, msg []byte) bool {
	return a.alg.verify(k, msg, a.sig, &a.mac, (*[sha512.Size]byte)(a.tag[:sha512.Size]))
}

// now returns the time of this verification: clock is read once, when a
// check first needs it, so that every check of one request sees the same
// instant and the request pays for one clock read (≈ 56 ns on the
// benchmark VM).
func (a *attempt) now(clock func() time.Time) time.Time {
	if a.instant.IsZero() {
		a.instant = clock()
	}
	return a.instant
}

// release resets a and puts it back in the pool.
func (a *attempt) release() {
	a.reset()
	attempts.Put(a)
}

// reset empties a field by field, keeping the scratch buffers (msg, sig,
// tag, pairs, the pysigned buffers) and the kept HMAC state: assigning a
// whole new attempt would copy (with write barriers) and clear over 700 bytes,
// the tag scratch included, which needs no clearing. A new field must be
// reset here: TestAttemptReset fails until it is.
func (a *attempt) reset() {
	a.req, a.keyID, a.algorithm, a.signature = nil, "", "", ""
	a.created, a.expires, a.date, a.instant, a.grace = time.Time{}, time.Time{}, time.Time{}, time.Time{}, 0
	a.covered, a.alg, a.params = nil, nil, cavageParams{}
	a.msg, a.sig, a.pairs = reusable(a.msg), reusable(a.sig), a.pairs[:0]
	if _, ok := a.sc.(*Pysigned); ok { // the only scheme with state there
		a.pysigned = a.pysigned.reusable()
	}
	a.sc, a.home, a.http = nil, nil, httpRequest{}
}

// reusable empties a scratch buffer for the next attempt, dropping one grown
// too large to keep.
func reusable(b []byte) []byte {
	if cap(b) > maxPooledMessage {
		return nil
	}
	return b[:0]
}

// pipeline runs the verification order every scheme shares (see
// docs/architecture.md): parse, look the key up, policy, crypto, time,
// body, replay.
type pipeline struct {
	name  string // the Result.Scheme of this scheme
	keys  KeyStore
	known func(pin string) bool // the algorithm names of pins (see storeFault)
	settings
}

// errUnbuilt answers every request to a verifier no constructor built (a
// struct literal): it has neither keys nor configuration.
var errUnbuilt = newError(ErrUnavailable, "this verifier was not built by its constructor")

// built reports whether a constructor built the verifier: each sets keys.
func (p *pipeline) built() bool { return p.keys != nil }

// run verifies r with s into a new Result or, when into is not nil, into
// into (see IntoVerifier).
func (p *pipeline) run(ctx context.Context, r Request, s scheme, into *Result) (*Result, error) {
	if !p.built() {
		return nil, errUnbuilt
	}
	a := attempts.Get().(*attempt)
	defer a.release()
	a.req, a.sc = r, s
	if h, ok := r.(httpRequest); ok && into == nil {
		a.http, a.req = h, (*httpView)(a)
	}

	if err := s.parse(a); err != nil { // 1
		return nil, err
	}
	secrets, err := lookup(ctx, p.keys, a.keyID) // 2
	if err != nil {
		return nil, err
	}
	matched, err := p.match(a, s, secrets) // 3, 4
	if err != nil {
		return nil, err
	}
	if err := p.checkTime(a); err != nil { // 5
		return nil, err
	}
	if err := s.checkBody(a); err != nil { // 6
		return nil, err
	}
	if err := p.record(ctx, a, matched.Key); err != nil { // 7
		return nil, err
	}
	return p.result(ctx, a, matched, into), nil
}

// match returns the first secret that passes the scheme's policy and
// verifies the signature. When none passed the policy, the first policy
// error explains why.
func (p *pipeline) match(a *attempt, s scheme, secrets []Secret) (*Secret, error) {
	var policyErr error
	tried := false
	for i := range secrets {
		sec := &secrets[i]
		if why := sec.Key.unusable(); why != "" { // a store's mistake: never a match
			if policyErr == nil {
				policyErr = unusableKey(a, sec, why)
			}
			continue
		}
		if err := s.check(a, sec); err != nil {
			if policyErr == nil {
				policyErr = p.storeFault(a, sec, err)
			}
			continue
		}
		tried = true
		ok, err := s.verify(a, sec)
		if err != nil {
			return nil, err
		}
		if ok {
			return sec, nil
		}
	}
	if !tried && policyErr != nil {
		return nil, policyErr
	}
	return nil, p.mismatch(a, s, secrets)
}

// storeFault is the answer to a secret the scheme's policy refused with
// err: err, the client's answer, unless the secret is pinned to a name that
// is no algorithm name of the scheme (a typo: a fixed store holding one is
// refused when the verifier is built), which no request can verify with,
// whatever its label. That is the key store's fault, answered as an empty
// secret is. (Such a pin never passes a scheme's check.)
func (p *pipeline) storeFault(a *attempt, s *Secret, err error) error {
	if s.Algorithm == "" || p.known == nil || p.known(s.Algorithm) {
		return err
	}
	why := fmt.Sprintf("is pinned to %.64q, which is no algorithm name of the %s scheme", s.Algorithm, p.name)
	if lowered := lowerASCII(s.Algorithm); p.known(lowered) {
		why += fmt.Sprintf(" (its pins are read as written: %q)", lowered)
	}
	return unusableKey(a, s, why)
}

// unusableKey is the answer to a request for which the key store returned
// s, which verifies nothing (why says how): ErrUnavailable, the server's
// fault, with s's id and why in the Cause, for the server's logs only.
func unusableKey(a *attempt, s *Secret, why string) *Error {
	id := s.ID
	if id == "" {
		id = a.keyID
	}
	return &Error{kind: ErrUnavailable, message: "this server's key for the request is not usable",
		cause: fmt.Errorf("signet: the key store's secret for key id %.128q %s", id, why)}
}

// checkTime enforces expiry, clock skew and maximum age on the (now
// authenticated) times of the signature.
func (p *pipeline) checkTime(a *attempt) error {
	if a.expires.IsZero() && a.created.IsZero() && a.date.IsZero() {
		if p.maxAge > 0 || p.nonces != nil { // an age to bound, or a record to forget
			return newError(ErrMissingHeader, "this server accepts only signatures that sign their time (a Date header or (created))")
		}
		return nil // nothing to check: don't read the clock
	}
	now := a.now(p.now)
	if !a.date.IsZero() {
		// Compared, never negated: a Date centuries ahead makes age the
		// smallest Duration, whose negation is itself.
		switch age := since(now, a.date); {
		case p.maxAge > 0 && age > p.maxAge:
			return newError(ErrExpired, "the signature is older than the %v this server accepts", p.maxAge)
		case age > p.clockSkew:
			return newError(ErrExpired, "the Date header is %v old; this server accepts %v", age.Round(time.Second), p.clockSkew.Round(time.Second))
		case age < -p.clockSkew:
			return newError(ErrNotYetValid, "the Date header is %v ahead; check the client's clock", since(a.date, now).Round(time.Second))
		}
	}
	if !a.expires.IsZero() && now.After(a.expires) {
		return newError(ErrExpired, "the signature expired at %s", a.expires.UTC().Format(time.RFC3339))
	}
	if a.created.IsZero() {
		// Only the expiry dates the signature: its age is unknown, so it
		// may not outlive the maximum age from now (nor its replay record).
		if p.maxAge > 0 && a.date.IsZero() && since(a.expires, now)-a.grace > p.maxAge {
			return newError(ErrExpired, "the signature is valid for another %v, longer than the %v this server accepts; sign it with a shorter expiry", (since(a.expires, now) - a.grace).Round(time.Second), p.maxAge)
		}
		return nil
	}
	switch age := since(now, a.created); {
	case age < -p.clockSkew:
		return newError(ErrNotYetValid, "the signature was made in the future (%s); check the client's clock", a.created.UTC().Format(time.RFC3339))
	case p.maxAge > 0 && age > p.maxAge:
		return newError(ErrExpired, "the signature is older than the %v this server accepts", p.maxAge)
	}
	return nil
}

// since is now.Sub(t) on the wall clock (a parsed time has no monotonic
// reading), without Sub's overflow checks while the two are within a
// century or so of each other; beyond, it saturates as Sub does.
func since(now, t time.Time) time.Duration {
	if s := now.Unix() - t.Unix(); -1<<31 < s && s < 1<<31 {
		return time.Duration(s)*time.Second + time.Duration(now.Nanosecond()-t.Nanosecond())
	}
	return now.Sub(t)
}

// record does replay protection, last, for requests that passed every
// other check. What it records is the signed content itself (the key that
// verified it and the canonical message), so neither re-encoding the
// signature nor naming the key by another id dodges it; it keeps the
// record for as long as the request could still be accepted, and a
// recordMargin more. The clock is read again first: a body or a key lookup
// may have taken long enough since the time checks for the request to be
// no longer acceptable, and its record (kept until then) forgotten.
func (p *pipeline) record(ctx context.Context, a *attempt, k *Key) error {
	if p.nonces == nil {
		return nil
	}
	until := p.acceptableUntil(a)
	if p.now().After(until) {
		return newError(ErrExpired, "the signature expired while the request was being read; sign it again")
	}
	h := sha256.New()
	h.Write(k.identify()[:])
	h.Write(a.msg)
	key := p.name + " " + hex.EncodeToString(h.Sum(nil))
	fresh, err := p.nonces.Record(ctx, key, until.Add(recordMargin))
	switch {
	case err != nil:
		return &Error{kind: ErrUnavailable, message: "replay protection is unavailable; try again later", cause: err}
	case !fresh:
		return newError(ErrReplayed, "this signed request was already accepted once")
	}
	return nil
}

// recordMargin is how much longer than its request could be accepted a
// nonce store keeps a record: a store with a clock of its own (a database
// server's) may read the time a little ahead of the verifier's.
const recordMargin = time.Minute

// acceptableUntil is the last moment checkTime would still accept a: the
// earliest of its bounds, which checkTime makes sure a replay-protected
// request has.
func (p *pipeline) acceptableUntil(a *attempt) time.Time {
	var until time.Time
	earliest := func(t time.Time) {
		if until.IsZero() || t.Before(until) {
			until = t
		}
	}
	if !a.expires.IsZero() {
		earliest(a.expires)
	}
	if !a.created.IsZero() && p.maxAge > 0 {
		earliest(a.created.Add(p.maxAge))
	}
	if !a.date.IsZero() {
		earliest(a.date.Add(p.clockSkew))
		if p.maxAge > 0 {
			earliest(a.date.Add(p.maxAge))
		}
	}
	return until
}

// resultAllocator is a scheme whose Results carry Details: it allocates the
// Result (with its context) together with room for them, and for a body
// reader when asked, in one allocation, and fills them in. Room its Details
// leave may hold a small body's bytes too.
type resultAllocator interface {
	// allocResult returns a new resultContext with room for the Details
	// and, when body is set, a body reader and the room left for the
	// body's bytes (a body that fits is read there).
	allocResult(body bool) (*resultContext, *bufferedBody, []byte)
	// fillResult sets res's Details and Covered; res comes from allocResult
	// or is a caller's (VerifyInto), zeroed.
	fillResult(a *attempt, res *Result)
}

// bodyStorage returns the reader of a body the verifier buffers, allocated
// with the Result's storage, and the room left there for the body's bytes
// (see httpView).
func (a *attempt) bodyStorage() (*bufferedBody, []byte) {
	if a.home != nil { // not before the Result's storage exists: never so far
		return new(bufferedBody), nil
	}
	return a.allocHome(true)
}

// allocHome allocates the Result's storage, with a reader for a body when
// body is set, and returns the reader and the room there is for the body's
// bytes (see resultAllocator).
func (a *attempt) allocHome(body bool) (reader *bufferedBody, room []byte) {
	if ra, ok := a.sc.(resultAllocator); ok {
		a.home, reader, room = ra.allocResult(body)
	} else if body {
		r := new(resultWithBody)
		a.home, reader = &r.ctx, &r.body
	} else {
		a.home = new(resultContext)
	}
	a.home.res.home = a.home
	return reader, room
}

// result copies what outlives the request into into or, when it is nil, a
// new Result carrying its context on top of ctx.
func (p *pipeline) result(ctx context.Context, a *attempt, s *Secret, into *Result) *Result {
	keyID := s.ID
	switch {
	case keyID == "":
		keyID = strings.Clone(a.keyID)
	case within(keyID, a.keyID): // the store returned the id it was asked for, in memory reused after this request
		keyID = strings.Clone(keyID)
	}
	res := into
	if res == nil {
		if a.home == nil {
			a.allocHome(false)
		}
		a.home.Context = ctx
		res = &a.home.res
	} else {
		*res = Result{}
	}
	if ra, ok := a.sc.(resultAllocator); ok {
		ra.fillResult(a, res)
	} else {
		res.Covered = a.covered
	}
	res.Scheme, res.KeyID, res.Algorithm, res.Credentials = p.name, keyID, a.algorithm, s.Credentials
	res.Created, res.Expires = a.created, a.expires
	return res
}
