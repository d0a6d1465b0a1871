package signet_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"testing"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// FuzzParseJWKS feeds arbitrary documents to ParseJWKS, as either pysigned
// version, seeded from the JWKs of the pysigned vectors (a key set may come
// over the network, from FetchJWKS). It must never panic, and an accepted
// set must be a consistent key store: at least one key, none under the
// empty id (which is AnyKeyID), no id twice (0.2.5 keeps the later key,
// 0.2.8 refuses the set); every key found by its id, alone; AnyKeyID
// yields the whole set in its order; any other id yields only keys of that
// id, or ErrUnknownKey; and SigningKey is the last key when it can sign.
func FuzzParseJWKS(f *testing.F) {
	_, table, err := signettest.PysignedVectors()
	if err != nil {
		f.Fatal(err)
	}
	names := slices.Sorted(maps.Keys(table))
	document := func(kid func(name string) any) string {
		var jwks []map[string]any
		for _, name := range names {
			jwk := map[string]any{}
			for k, v := range table[name].JWK {
				jwk[k] = v
			}
			if id := kid(name); id != nil {
				jwk["kid"] = id
			}
			jwks = append(jwks, jwk)
		}
		doc, err := json.Marshal(map[string]any{"keys": jwks})
		if err != nil {
			f.Fatal(err)
		}
		return string(doc)
	}
	for version := range uint8(2) {
		f.Add(version, document(func(name string) any { return name }), names[0])
		f.Add(version, document(func(name string) any { return nil }), "absent") // default ids, some shared
		f.Add(version, document(func(name string) any { return "" }), "")        // an empty kid: the default id
		f.Add(version, document(func(name string) any { return "same" }), "same")
	}
	f.Add(uint8(0), `{"keys": [{"kty": "oct", "alg": "HS512", "k": "c2hvcnQ"}]}`, "")

	versions := []signet.PysignedVersion{signet.Pysigned025, signet.Pysigned028}
	f.Fuzz(func(t *testing.T, version uint8, doc, id string) {
		set, err := signet.ParseJWKS([]byte(doc), versions[int(version)%len(versions)])
		if err != nil {
			return
		}
		secrets := set.Secrets()
		if len(secrets) == 0 {
			t.Fatalf("accepted an empty set: %q", doc)
		}
		ctx := context.Background()
		seen := map[string]bool{}
		for _, s := range secrets {
			if s.ID == signet.AnyKeyID || seen[s.ID] || s.Key == nil {
				t.Fatalf("a key with the empty, a repeated or no key: %q, %v", s.ID, s.Key)
			}
			seen[s.ID] = true
			found, err := set.Lookup(ctx, s.ID)
			if err != nil || len(found) != 1 || found[0].ID != s.ID || found[0].Key != s.Key {
				t.Fatalf("Lookup(%q) = %v, %v: not the set's key", s.ID, found, err)
			}
		}
		every, err := set.Lookup(ctx, signet.AnyKeyID)
		if err != nil || len(every) != len(secrets) {
			t.Fatalf("Lookup(AnyKeyID) = %d keys, %v; the set has %d", len(every), err, len(secrets))
		}
		for i := range every {
			if every[i].ID != secrets[i].ID || every[i].Key != secrets[i].Key {
				t.Fatalf("Lookup(AnyKeyID) is not the set in its order: %v", every)
			}
		}
		found, err := set.Lookup(ctx, id)
		switch {
		case id == signet.AnyKeyID:
		case !seen[id] && !errors.Is(err, signet.ErrUnknownKey):
			t.Fatalf("Lookup of the unknown id %q = %v, %v", id, found, err)
		case seen[id] && (err != nil || len(found) != 1 || found[0].ID != id):
			t.Fatalf("Lookup(%q) = %v, %v", id, found, err)
		}
		last := secrets[len(secrets)-1]
		if signingID, key, err := set.SigningKey(); err == nil && (signingID != last.ID || key != last.Key) {
			t.Fatalf("SigningKey is %q, not the last key %q", signingID, last.ID)
		}
	})
}
