package signet

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAttemptReset: a pooled attempt carries nothing of one request into the
// next but its scratch buffers (emptied) and the kept HMAC state, and every
// field of attempt is accounted for, so that a new one cannot be forgotten
// in reset.
func TestAttemptReset(t *testing.T) {
	kept := []string{"tag", "mac"}             // reused as they are
	emptied := []string{"msg", "sig", "pairs"} // reused with length 0
	typ := reflect.TypeFor[attempt]()
	var fields []string
	for i := range typ.NumField() {
		fields = append(fields, typ.Field(i).Name)
	}
	// Every field below is set before reset; a new field must join them.
	set := []string{"req", "keyID", "algorithm", "signature", "created", "expires", "date", "instant", "grace",
		"covered", "msg", "sig", "tag", "alg", "params", "pysigned", "pairs", "mac", "sc", "home", "http"}
	if !slices.Equal(fields, set) {
		t.Fatalf("attempt's fields are %v: reset a new field in reset, then set it here", fields)
	}

	now := time.Unix(1700000000, 0)
	a := &attempt{
		req: FromHTTP(&http.Request{}), keyID: "k", algorithm: "hmac-sha256", signature: "sig",
		created: now, expires: now, date: now, instant: now, grace: time.Second, covered: []string{"date"},
		msg: []byte("msg"), sig: []byte("sig"), alg: &algorithm{},
		params:   cavageParams{keyID: "k", hasHeaders: true, plan: &headerPlan{}},
		pysigned: pysignedState{qsl: qsl{query: "a=1", scratch: []byte("x")}, exp: 1, lowerHex: true},
		pairs:    []signedURLPair{{}}, tag: [128]byte{1}, mac: keyedMAC{hash: 1},
		sc: &Pysigned{}, home: &resultContext{}, http: httpRequest{&http.Request{}},
	}
	a.pysigned.pairs = append(a.pysigned.pairs, qsPair{})
	a.reset()

	v := reflect.ValueOf(a).Elem()
	for _, name := range fields {
		f := v.FieldByName(name)
		switch {
		case slices.Contains(kept, name):
		case slices.Contains(emptied, name):
			if f.Len() != 0 {
				t.Errorf("reset leaves %d elements in %s", f.Len(), name)
			}
		case name == "pysigned":
			st := a.pysigned
			if st.query != "" || len(st.scratch) != 0 || len(st.pairs) != 0 || st.exp != 0 || st.lowerHex {
				t.Errorf("reset leaves pysigned state: %+v", st)
			}
		default:
			if !f.IsZero() {
				t.Errorf("reset leaves %s set: a new field of attempt must be reset in reset (or listed here as scratch)", name)
			}
		}
	}
}

func TestCheckVerifier(t *testing.T) {
	assert.EqualError(t, CheckVerifier(nil), "signet: no Verifier")
	var unchecked *Signway
	assert.ErrorContains(t, CheckVerifier(unchecked), "a nil *signet.Signway")
	var unset verifierFunc
	assert.ErrorContains(t, CheckVerifier(unset), "a nil signet.verifierFunc")
	keys, err := NewStaticKeys(Secret{ID: "k", Key: NewHMACKey([]byte("s"))})
	require.NoError(t, err)
	v, err := NewSignway(keys)
	require.NoError(t, err)
	assert.NoError(t, CheckVerifier(v))
}

// TestUnbuiltVerifiers: a verifier no constructor built (a struct literal)
// is refused by CheckVerifier, and answers every request 503, never a
// panic.
func TestUnbuiltVerifiers(t *testing.T) {
	r := FromHTTP(httptest.NewRequest("GET", "/x?sig=00&exp=1", nil))
	for _, v := range []Verifier{&SASigning{}, &Cavage{}, &Signway{}, &Pysigned{}, &SignedURL{}} {
		assert.ErrorContains(t, CheckVerifier(v), fmt.Sprintf("the %T was not built by its constructor", v))
		res, err := v.Verify(context.Background(), r)
		assert.Nil(t, res)
		assert.ErrorIs(t, err, ErrUnavailable, "%T", v)
		into, ok := v.(IntoVerifier)
		require.True(t, ok)
		assert.ErrorIs(t, into.VerifyInto(context.Background(), r, &Result{}), ErrUnavailable, "%T", v)
	}
}

// TestCheckTimeDate: a signature dated only by a signed Date header is
// accepted at exactly the maximum age and at exactly the clock skew either
// way, and refused a second (or a nanosecond) beyond.
func TestCheckTimeDate(t *testing.T) {
	now := time.Unix(1_704_067_200, 0)
	tests := []struct {
		name         string
		maxAge, skew time.Duration
		age          time.Duration // now − Date
		want         error
	}{
		{"age == max age", time.Minute, 5 * time.Minute, time.Minute, nil},
		{"age == max age + 1s", time.Minute, 5 * time.Minute, time.Minute + time.Second, ErrExpired},
		{"age == max age + 1ns", time.Minute, 5 * time.Minute, time.Minute + time.Nanosecond, ErrExpired},
		{"age == skew", 0, time.Minute, time.Minute, nil},
		{"age == skew + 1s", 0, time.Minute, time.Minute + time.Second, ErrExpired},
		{"ahead by skew", 0, time.Minute, -time.Minute, nil},
		{"ahead by skew + 1s", 0, time.Minute, -time.Minute - time.Second, ErrNotYetValid},
		{"ahead by skew, within the max age", time.Minute, time.Minute, -time.Minute, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &pipeline{settings: settings{now: func() time.Time { return now }, maxAge: tt.maxAge, clockSkew: tt.skew}}
			err := p.checkTime(&attempt{date: now.Add(-tt.age)})
			if tt.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}
}

// verifierFunc is a Verifier written as a func, as an application may.
type verifierFunc func(context.Context, Request) (*Result, error)

func (f verifierFunc) Verify(ctx context.Context, r Request) (*Result, error) { return f(ctx, r) }
