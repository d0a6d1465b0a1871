package signet_test

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// maxFuzzSeed leaves the vectors of the length limits (16 KiB URLs) out of
// the seeds: they slow every execution down, and the vector tests cover
// them.
const maxFuzzSeed = 2048

// fuzzSignedURLVerifier verifies with the keys of the vectors under the ids
// the vectors use, at their clock, ignoring utm_* and ref, so that the
// parser, the canonicaliser and both algorithms are all reached.
func fuzzSignedURLVerifier(f *testing.F, file *signettest.SignedURLVectorFile) *signet.SignedURL {
	var secrets []signet.Secret
	seen := map[[2]string]bool{}
	for _, v := range file.Vectors {
		for _, c := range v.Verify {
			for _, k := range c.Keys {
				if !seen[[2]string{k.ID, k.Key}] {
					seen[[2]string{k.ID, k.Key}] = true
					secrets = append(secrets, signet.Secret{ID: k.ID, Key: signedURLVerifyKey(f, file.Keys[k.Key])})
				}
			}
		}
	}
	v, err := signet.NewSignedURL(staticKeys(f, secrets...), signet.SignedURLIgnoreParams("utm_*", "ref"),
		fixedClock(signedAt))
	if err != nil {
		f.Fatal(err)
	}
	return v
}

// FuzzSignedURLVerify feeds arbitrary methods, hosts and request-targets
// to a verifier, seeded with every request of the vectors. It must never
// panic and must reject with a 4xx *Error. An accepted request must be one
// the vectors' generator signed: its message, built here from the method
// and target by docs/schemes/signedurl.md (specSignedURLMessage), is the
// message of a valid vector case; and it must stop verifying when one bit
// of its signature changes.
func FuzzSignedURLVerify(f *testing.F) {
	file, err := signettest.SignedURLVectors()
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range file.Vectors {
		for _, c := range v.Verify {
			if len(c.Target) <= maxFuzzSeed {
				f.Add(c.Method, c.Host, c.Target)
			}
		}
	}
	verifier := fuzzSignedURLVerifier(f, file)
	// The messages the generator signed: those of the cases that verify,
	// or fail on time alone (under the vector's own maximum age, say).
	signed := map[string]bool{}
	for _, v := range file.Vectors {
		for _, c := range v.Verify {
			if !c.Expected.Valid && c.Expected.Error != "expired" && c.Expected.Error != "not_yet_valid" {
				continue
			}
			message := specSignedURLMessage(c.Method, c.Target)
			signed[message] = true
			cfg, err := c.EffectiveConfig(v)
			if err != nil {
				f.Fatal(err)
			}
			if c.Message == nil {
				continue
			}
			_, generated, _ := strings.Cut(*c.Message, "\n")
			signed[generated] = true // with an empty method line when the method is not bound
			plain := cfg.BindOrigin == nil || !*cfg.BindOrigin
			if plain && (cfg.BindMethod == nil || *cfg.BindMethod) && len(cfg.IgnoreParams) == 0 && message != generated {
				f.Fatalf("%s, %s: the spec's message is %q, the generator's %q", v.ID, c.Note, message, generated)
			}
		}
	}
	f.Fuzz(func(t *testing.T, method, host, target string) {
		verify := func(target string) error {
			_, err := verifier.Verify(context.Background(), signet.FromHTTP(signedURLServerRequest(method, "https", host, target)))
			return err
		}
		err := verify(target)
		if err != nil {
			var e *signet.Error
			if !errors.As(err, &e) || e.Status() < 400 || e.Status() >= 500 {
				t.Fatalf("rejection %v is not a 4xx *signet.Error", err)
			}
			return
		}
		i := strings.Index(target, "?sn-sig=")
		if i < 0 {
			i = strings.Index(target, "&sn-sig=")
		}
		if i < 0 || len(target) < i+len("&sn-sig=")+43 {
			t.Fatalf("accepted %q without a signature", target)
		}
		if message := specSignedURLMessage(method, target); !signed[message] {
			t.Fatalf("accepted %s %q, whose message %q no vector signed", method, target, message)
		}
		flipped := []byte(target)
		flipped[i+len("&sn-sig=")+10] ^= 0x01
		if verify(string(flipped)) == nil {
			t.Fatalf("accepted %q and its one-bit change %q", target, flipped)
		}
	})
}

// uriScheme matches a URI's scheme (RFC 3986 §3.1).
var uriScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*$`)

// specSignedURLMessage is the message of docs/schemes/signedurl.md, without
// its marker line, for a request whose origin is not bound, ignoring utm_*
// and ref as fuzzSignedURLVerifier does: kid, iat and exp (the first value
// of each sn- parameter), the method, an empty origin, the raw path and the
// canonical query (non-empty segments, but for sn- and ignored parameters,
// sorted stably by the bytes of their names).
func specSignedURLMessage(method, target string) string {
	if scheme, rest, ok := strings.Cut(target, ":"); ok && !strings.HasPrefix(target, "/") && uriScheme.MatchString(scheme) {
		target = rest // absolute-form, read as net/http reads it
		if authority, ok := strings.CutPrefix(rest, "//"); ok {
			target = "" // the authority, up to the path or the query
			if i := strings.IndexAny(authority, "/?"); i >= 0 {
				target = authority[i:]
			}
		}
	}
	path, query, _ := strings.Cut(target, "?")
	if path == "" {
		path = "/"
	}
	sn := map[string]string{}
	var pairs []string
	for _, pair := range strings.Split(query, "&") {
		name, value, _ := strings.Cut(pair, "=")
		switch {
		case pair == "", strings.HasPrefix(name, "utm_"), name == "ref":
		case strings.HasPrefix(name, "sn-"):
			if _, ok := sn[name]; !ok {
				sn[name] = value
			}
		default:
			pairs = append(pairs, pair)
		}
	}
	name := func(pair string) string { n, _, _ := strings.Cut(pair, "="); return n }
	slices.SortStableFunc(pairs, func(a, b string) int { return strings.Compare(name(a), name(b)) })
	return strings.Join([]string{sn["sn-kid"], sn["sn-iat"], sn["sn-exp"], method, "", path, strings.Join(pairs, "&")}, "\n")
}

// FuzzSignedURLCanonicalQuery feeds arbitrary raw queries to the
// canonicaliser, seeded with the queries of the vectors. It must never
// panic; the canonical query must be its own canonical query, keep every
// non-empty segment that is neither an sn- nor an ignored parameter, byte
// for byte, and ignore empty segments.
func FuzzSignedURLCanonicalQuery(f *testing.F) {
	file, err := signettest.SignedURLVectors()
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range file.Vectors {
		for _, c := range v.Verify {
			if _, q, _ := strings.Cut(c.Target, "?"); len(q) <= maxFuzzSeed {
				f.Add(q)
			}
		}
	}
	v := fuzzSignedURLVerifier(f, file)
	f.Fuzz(func(t *testing.T, q string) {
		c, err := signet.SignedURLCanonicalQuery(v, q)
		if err != nil {
			if strings.Count(q, "&") < 255 {
				t.Fatalf("%q: %v", q, err)
			}
			return
		}
		if again, _ := signet.SignedURLCanonicalQuery(v, c); again != c {
			t.Fatalf("not idempotent: %q → %q → %q", q, c, again)
		}
		if padded, _ := signet.SignedURLCanonicalQuery(v, "&"+strings.ReplaceAll(q, "&", "&&")+"&"); padded != c {
			t.Fatalf("empty segments change %q: %q vs %q", q, c, padded)
		}
		want := map[string]int{}
		for seg := range strings.SplitSeq(q, "&") {
			name, _, _ := strings.Cut(seg, "=")
			if seg != "" && !strings.HasPrefix(name, "sn-") && !strings.HasPrefix(name, "utm_") && name != "ref" {
				want[seg]++
			}
		}
		for seg := range strings.SplitSeq(c, "&") {
			if c != "" {
				want[seg]--
			}
		}
		for seg, n := range want {
			if n != 0 {
				t.Fatalf("%q → %q: segment %q off by %d", q, c, seg, n)
			}
		}
	})
}

// FuzzSignedURLRoundTrip signs arbitrary paths and queries: whatever the
// signer accepts, the URL a client sends for it verifies, and its
// request-target is the signed bytes; and so behind a proxy that strips a
// prefix (SignedURLPathPrefix), the URL as it forwards it.
func FuzzSignedURLRoundTrip(f *testing.F) {
	file, err := signettest.SignedURLVectors()
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range file.Vectors {
		if v.Sign != nil && !strings.HasPrefix(v.Sign.URL, "/") && len(v.Sign.URL) <= maxFuzzSeed {
			_, rest, _ := strings.Cut(v.Sign.URL, "://")
			if i := strings.IndexAny(rest, "/?"); i >= 0 {
				path, query, _ := strings.Cut(rest[i:], "?")
				f.Add("GET", path, query)
			}
		}
	}
	for _, e := range file.SignErrors {
		if len(e.URL) <= maxFuzzSeed {
			f.Add(e.Method, e.URL, "")
		}
	}
	f.Add("GET", "/a b/ü", "q=1;2&a=&a&=&%2F=+")
	key := signet.NewHMACKey([]byte("fuzz"))
	pair := func(opts ...signet.SignedURLOption) (*signet.SignedURLSigner, *signet.SignedURL) {
		opts = append(opts, signet.SignedURLBindOrigin(), signet.SignedURLIgnoreParams("utm_*"), fixedClock(signedAt))
		signer, err := signet.NewSignedURLSigner("k", key, opts...)
		if err != nil {
			f.Fatal(err)
		}
		verifier, err := signet.NewSignedURL(staticKeys(f, signet.Secret{ID: "k", Key: key}), opts...)
		if err != nil {
			f.Fatal(err)
		}
		return signer, verifier
	}
	signer, verifier := pair()
	// The same behind a proxy that strips /api/v1: signed for the public
	// URL, verified as forwarded.
	const prefix = "/api/v1"
	prefixSigner, prefixVerifier := pair(signet.SignedURLPathPrefix(prefix))
	f.Fuzz(func(t *testing.T, method, path, query string) {
		roundTrip := func(s *signet.SignedURLSigner, v *signet.SignedURL, prefix string) {
			signed, err := s.SignURL(method, "https://example.com"+prefix+"/"+path+"?"+query, time.Minute)
			if err != nil {
				return // refused: a dot segment, an invalid escape, an sn- parameter, …
			}
			u, err := url.Parse(signed)
			if err != nil {
				t.Fatalf("signed %q, which does not parse: %v", signed, err)
			}
			target, ok := strings.CutPrefix(u.RequestURI(), prefix)
			if !ok {
				t.Fatalf("signed %q, which is not under %q", signed, prefix)
			}
			if _, err := v.Verify(context.Background(), signet.FromHTTP(signedURLServerRequest(method, "https", u.Host, target))); err != nil {
				t.Fatalf("signed %q, sent on as %q: %v", signed, target, err)
			}
		}
		roundTrip(signer, verifier, "")
		roundTrip(prefixSigner, prefixVerifier, prefix)
	})
}

// FuzzSignedURLOriginHost signs URLs with arbitrary hosts, the origin
// bound: whatever the signer accepts verifies with the Host Go's client
// writes and with the one a browser sends; a host a refusal asks to sign
// instead signs.
func FuzzSignedURLOriginHost(f *testing.F) {
	for _, h := range []string{"example.com", "Example.COM:443", "example.com:", "example.com:0443", "example.com:99999",
		"[0:0::1]", "[::FFFF:1.2.3.4]", "[fe80::1%25eth0]", "bücher.example", "127.1", "0x7f.0.0.1", "a\"b", "[::1]:8080"} {
		f.Add("https", h)
	}
	opts := []signet.SignedURLOption{signet.SignedURLBindOrigin()}
	fix := newSignedURLFixture(f, opts...)
	v := fix.verifier(f, opts...)
	f.Fuzz(func(t *testing.T, scheme, host string) {
		if scheme != "http" && scheme != "https" {
			scheme = "http"
		}
		raw := scheme + "://" + host + "/p"
		signed, err := fix.signer.SignURL("GET", raw, time.Minute)
		if err != nil {
			if instead, ok := signedURLSuggestion(err); ok {
				signed, err = fix.signer.SignURL("GET", scheme+"://"+instead+"/p", time.Minute)
				if err != nil {
					t.Fatalf("%s refused, and so is the host its error names: %v", raw, err)
				}
			} else {
				return
			}
		}
		requireSignedURLHostVerifies(t, v, signed)
	})
}
