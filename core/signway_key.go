package signet

import (
	"crypto/hmac"
	"crypto/sha256"
	"hash"
	"sync"
	"sync/atomic"
)

// Signway signs with a date-scoped key,
//
//	K = HMAC-SHA256(key: "SW1-HMAC-SHA256" + secret, data: "YYYYMMDD"),
//
// so that verifying one URL naively costs two HMAC keyings (the secret's,
// then K's) besides the HMAC of the string to sign. Nearly every URL a
// gateway sees was signed today or yesterday, so each Key remembers the K of
// a few days, each with a pool of HMAC states already keyed with it: a
// verification then pays only the HMAC of the string to sign, with no key
// derivation and no allocation.
//
// The cache is bounded (signwayCachedDays entries per Key), lock-free for
// readers (an immutable array swapped atomically) and written under a mutex
// on a miss. When it is full, the oldest day makes room, and only for a newer
// one. The caller decides whether a day is worth caching (the verifier: not
// after its clock plus skew), so requests with forged future dates cannot
// evict the days real requests use, and forged past dates cannot either.

// signwayCachedDays is how many derived day keys a Key keeps.
const signwayCachedDays = 8

// signwayDayKeys is the cache of derived Signway day keys of one Key.
type signwayDayKeys struct {
	mu   sync.Mutex // serialises writers
	days atomic.Pointer[[signwayCachedDays]*signwayDayKey]
}

// signwayDayKey is K for one day, with pooled HMAC-SHA256 states keyed with
// it.
type signwayDayKey struct {
	day  uint64 // the eight ASCII digits YYYYMMDD, big-endian
	key  [sha256.Size]byte
	macs sync.Pool // hash.Hash
}

// signwayDayBits packs the eight ASCII bytes of a YYYYMMDD day.
func signwayDayBits(day string) uint64 {
	var b uint64
	for i := 0; i < 8; i++ {
		b = b<<8 | uint64(day[i])
	}
	return b
}

// signwayCached returns the cached day key of day (signwayDayBits), or nil.
func (k *Key) signwayCached(day uint64) *signwayDayKey {
	if days := k.signway.days.Load(); days != nil {
		for _, d := range days {
			if d != nil && d.day == day {
				return d
			}
		}
	}
	return nil
}

// signwayDerive derives the day key of day (YYYYMMDD), and caches it when
// cache is true and it is newer than the oldest cached day or there is room.
func (k *Key) signwayDerive(day string, cache bool) *signwayDayKey {
	bits := signwayDayBits(day)
	if !cache {
		return newSignwayDayKey(k.secret, day, bits)
	}
	c := &k.signway
	c.mu.Lock()
	defer c.mu.Unlock()
	var next [signwayCachedDays]*signwayDayKey
	if old := c.days.Load(); old != nil {
		next = *old
	}
	slot := -1
	for i, d := range next {
		switch {
		case d != nil && d.day == bits:
			return d // derived meanwhile
		case d == nil:
			slot = i
		case slot < 0 || next[slot] != nil && d.day < next[slot].day:
			slot = i // the oldest so far, unless a free slot was found
		}
	}
	dk := newSignwayDayKey(k.secret, day, bits)
	if next[slot] == nil || next[slot].day < bits {
		next[slot] = dk
		c.days.Store(&next)
	}
	return dk
}

func newSignwayDayKey(secret []byte, day string, bits uint64) *signwayDayKey {
	m := hmac.New(sha256.New, append([]byte(signwayAlgorithm), secret...))
	m.Write([]byte(day))
	dk := &signwayDayKey{day: bits}
	m.Sum(dk.key[:0])
	return dk
}

// appendSum appends HMAC-SHA256(K, msg) to dst (which escapes: pass a
// buffer that lives on the heap anyway).
func (d *signwayDayKey) appendSum(dst, msg []byte) []byte {
	m, _ := d.macs.Get().(hash.Hash)
	if m == nil {
		m = hmac.New(sha256.New, d.key[:])
	} else {
		m.Reset()
	}
	m.Write(msg)
	dst = m.Sum(dst)
	d.macs.Put(m)
	return dst
}
