package signet

// Signers write the sn- parameters last, in one order:
// "…&sn-kid=K&sn-iat=I&sn-exp=E&sn-sig=S". The verifier recognises them
// there first, reading back from the end of the query, which costs less
// than splitting, naming and checking them as four arbitrary segments;
// any other URL (parameters elsewhere or in another order, a malformed or
// repeated one, a reserved name) is scanned in the general way, which
// decides what is wrong.

// scanSignerTail does what scanParams does, for a query q that ends with
// the sn- parameters as a signer writes them, each well-formed, and has
// no other sn- parameter: it reports whether q is such a query. If it is
// not, scanParams must run: scanSignerTail may have written to p, a.pairs
// and a.sig.
func (c *signedURLConfig) scanSignerTail(a *attempt, q string, p *signedURLParams) bool {
	rest, ok := p.parseSignerTail(q)
	if !ok {
		return false
	}
	if a.sig, ok = appendSignedURLSignature(a.sig[:0], p.sig); !ok {
		return false
	}
	var err error
	p.segments = 4
	a.pairs, err = c.scanQuery(q[:rest], a.pairs[:0], p)
	if err != nil || p.any { // too many segments, or another sn- name: the general scan tells
		return false
	}
	p.any = true
	return true
}

// parseSignerTail reads the sn- parameters that end q as a signer writes
// them into p, as scanQuery and check would, all but any, and returns the
// end of the rest of q (the index of the '&' before sn-kid, or 0). It
// reports false if q does not end so, or if a value is malformed: an
// sn-sig of other than 43 (HMAC-SHA256) or 86 (Ed25519) characters, which
// the caller decodes.
func (p *signedURLParams) parseSignerTail(q string) (rest int, ok bool) {
	i := len(q) - 43
	if !signedURLFollows(q, i, "&sn-sig=") {
		if i = len(q) - 86; !signedURLFollows(q, i, "&sn-sig=") {
			return 0, false
		}
	}
	p.sig = q[i:]
	i -= len("&sn-sig=")
	if p.exp, i, ok = signedURLTailTime(q[:i], &p.expUnix); !ok || !signedURLFollows(q, i, "&sn-exp=") {
		return 0, false
	}
	i -= len("&sn-exp=")
	if p.iat, i, ok = signedURLTailTime(q[:i], &p.iatUnix); !ok || !signedURLFollows(q, i, "&sn-iat=") {
		return 0, false
	}
	i -= len("&sn-iat=")
	end := i
	for i > 0 && end-i < signedURLMaxKeyID && unreserved[q[i-1]] {
		i--
	}
	if i == end || !signedURLFollows(q, i, "sn-kid=") {
		return 0, false
	}
	p.kid = q[i:end]
	switch i -= len("sn-kid="); {
	case i == 0:
	case q[i-1] == '&':
		rest = i - 1
	default:
		return 0, false
	}
	p.counts = [4]uint16{1, 1, 1, 1}
	return rest, true
}

// signedURLTailTime reads back from the end of s the unix seconds of an
// sn-iat or sn-exp parameter: it returns them as written and parsed into
// t, and where they start in s, if they are 1 to 12 digits without a
// leading zero (but "0").
func signedURLTailTime(s string, t *int64) (value string, start int, ok bool) {
	var n int64
	i := len(s)
	for mul := int64(1); i > 0 && len(s)-i < 12; i-- {
		d := s[i-1] - '0'
		if d > 9 {
			break
		}
		n += int64(d) * mul
		mul *= 10
	}
	if value = s[i:]; value == "" || value[0] == '0' && len(value) > 1 {
		return "", 0, false
	}
	*t = n
	return value, i, true
}

// signedURLFollows reports whether q[i:] follows marker: q[:i] ends with it.
func signedURLFollows(q string, i int, marker string) bool {
	return i >= len(marker) && q[i-len(marker):i] == marker
}
