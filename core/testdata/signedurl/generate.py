#!/usr/bin/env python3
"""Writes vectors.json, the test vectors of signet's native signed URLs.

This is an independent implementation of docs/schemes/signedurl.md, written
from that page and not from the Go code, with the Python 3 standard library
only (Ed25519 is RFC 8032's reference algorithm, checked against the RFC's
first test vector before anything is written).

    python3 core/testdata/signedurl/generate.py      # rewrites vectors.json beside this file

The output is deterministic: HMAC and Ed25519 signatures are, and every clock
is fixed.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import sys
import urllib.parse

# ---------------------------------------------------------------------------
# Ed25519 (RFC 8032 section 6, pure Ed25519)

P = 2**255 - 19
Q = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _inv(x):
    return pow(x, P - 2, P)


def _add(a, b):
    A = (a[1] - a[0]) * (b[1] - b[0]) % P
    B = (a[1] + a[0]) * (b[1] + b[0]) % P
    C = 2 * a[3] * b[3] * D % P
    Dd = 2 * a[2] * b[2] % P
    E, F, G, H = B - A, Dd - C, Dd + C, B + A
    return (E * F % P, G * H % P, F * G % P, E * H % P)


def _mul(s, pt):
    acc = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            acc = _add(acc, pt)
        pt = _add(pt, pt)
        s >>= 1
    return acc


def _recover_x(y, sign):
    if y >= P:
        return None
    x2 = (y * y - 1) * _inv(D * y * y + 1)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


_GY = 4 * _inv(5) % P
_GX = _recover_x(_GY, 0)
BASE = (_GX, _GY, 1, _GX * _GY % P)


def _compress(pt):
    zi = _inv(pt[2])
    x, y = pt[0] * zi % P, pt[1] * zi % P
    return int.to_bytes(y | ((x & 1) << 255), 32, "little")


def _decompress(s):
    if len(s) != 32:
        return None
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % P)


def _equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def _expand(seed):
    h = hashlib.sha512(seed).digest()
    a = int.from_bytes(h[:32], "little")
    a &= (1 << 254) - 8
    a |= 1 << 254
    return a, h[32:]


def _hq(data):
    return int.from_bytes(hashlib.sha512(data).digest(), "little") % Q


def ed25519_public(seed):
    a, _ = _expand(seed)
    return _compress(_mul(a, BASE))


def ed25519_sign(seed, msg):
    a, prefix = _expand(seed)
    pub = _compress(_mul(a, BASE))
    r = _hq(prefix + msg)
    rs = _compress(_mul(r, BASE))
    s = (r + _hq(rs + pub + msg) * a) % Q
    return rs + int.to_bytes(s, 32, "little")


def ed25519_verify(pub, msg, sig):
    if len(pub) != 32 or len(sig) != 64:
        return False
    a = _decompress(pub)
    r = _decompress(sig[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(sig[32:], "little")
    if s >= Q:
        return False
    h = _hq(sig[:32] + pub + msg)
    return _equal(_mul(s, BASE), _add(r, _mul(h, a)))


def _self_test():
    # RFC 8032, 7.1, TEST 1.
    seed = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    pub = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    sig = bytes.fromhex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
    assert ed25519_public(seed) == pub, "Ed25519 public key"
    assert ed25519_sign(seed, b"") == sig, "Ed25519 signature"
    assert ed25519_verify(pub, b"", sig) and not ed25519_verify(pub, b"x", sig), "Ed25519 verification"


# ---------------------------------------------------------------------------
# The format (docs/schemes/signedurl.md)

SN = (b"sn-kid", b"sn-iat", b"sn-exp", b"sn-sig")
MAX_TARGET = 16384
MAX_SEGMENTS = 256
MAX_KID = 128
MAX_CANDIDATES = 16
UNRESERVED = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
KEEP_PATH = UNRESERVED | set(b"!$&'()*+,;=:@/")
KEEP_QUERY = (KEEP_PATH - set(b"'")) | set(b"?")
HEXDIGITS = set(b"0123456789abcdefABCDEF")
B64URL = set(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
MARKERS = {"hmac-sha256": b"SN1-HMAC-SHA256", "ed25519": b"SN1-ED25519"}
SIG_SIZES = {"hmac-sha256": 32, "ed25519": 64}

DEFAULT_CONFIG = {
    "bind_method": True,
    "bind_origin": False,
    "origin": None,
    "ignore_params": [],
    "clock_skew": 60,
    "max_age": 7 * 24 * 3600,
    "algorithms": None,
}


class SignError(Exception):
    pass


class Reject(Exception):
    def __init__(self, code, why):
        super().__init__(why)
        self.code = code


def config_of(overrides):
    c = dict(DEFAULT_CONFIG)
    c.update(overrides or {})
    if c["origin"] is not None:
        c["bind_origin"] = True
    return c


def escape(raw, keep):
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == 0x25:  # '%'
            if i + 2 >= len(raw) or raw[i + 1] not in HEXDIGITS or raw[i + 2] not in HEXDIGITS:
                raise SignError("invalid percent-escape")
            out += raw[i:i + 3]
            i += 3
            continue
        if c in keep:
            out.append(c)
        else:
            out += b"%%%02X" % c
        i += 1
    return bytes(out)


def segments(query):
    return [s for s in query.split(b"&") if s] if query else []


def name_of(pair):
    return pair.split(b"=", 1)[0]


def is_ignored(name, ignore):
    for pattern in ignore:
        p = pattern.encode()
        if p.endswith(b"*"):
            if name.startswith(p[:-1]):
                return True
        elif name == p:
            return True
    return False


def canonical_query(pairs):
    return b"&".join(sorted(pairs, key=name_of))  # sorted() is stable


def origin_of(scheme, host):
    o = scheme.lower() + b"://" + host.lower()  # bytes.lower() folds ASCII letters only
    if scheme.lower() == b"http" and o.endswith(b":80"):
        o = o[:-3]
    elif scheme.lower() == b"https" and o.endswith(b":443"):
        o = o[:-4]
    return o


def build_message(alg, kid, iat, exp, method, origin, path, query):
    return b"\n".join([MARKERS[alg], kid, iat, exp, method, origin, path, query])


def b64url(sig):
    return base64.urlsafe_b64encode(sig).rstrip(b"=").decode()


def key_sign(key, msg):
    if key["type"] == "hmac":
        return "hmac-sha256", hmac.new(bytes.fromhex(key["secret_hex"]), msg, hashlib.sha256).digest()
    return "ed25519", ed25519_sign(bytes.fromhex(key["seed_hex"]), msg)


def valid_time(s):
    return 1 <= len(s) <= 12 and all(0x30 <= c <= 0x39 for c in s) and (s[:1] != b"0" or s == b"0")


def sign_url(cfg, key, kid, method, url, now, ttl):
    """Signs url as the spec's "Signing a URL" says; returns the parts."""
    if ttl < 1 or ttl > cfg["max_age"]:
        raise SignError("TTL out of range")
    u = url.encode()
    rest, hash_, fragment = u.partition(b"#")
    prefix, scheme, host = b"", b"", b""
    if not (rest.startswith(b"/") and not rest.startswith(b"//")):
        i = rest.find(b"://")
        if i <= 0:
            raise SignError("not an absolute http(s) URL nor a path")
        end = len(rest)
        for j in range(i + 3, len(rest)):
            if rest[j] in b"/?":
                end = j
                break
        prefix, scheme, host = rest[:end], rest[:i], rest[i + 3:end]
        if scheme.lower() not in (b"http", b"https"):
            raise SignError("scheme")
        if not host or any(c <= 0x20 or c >= 0x7F or c in b"/?#@\\" for c in host):
            raise SignError("host")
        rest = rest[end:]
    raw_path, _, raw_query = rest.partition(b"?")
    raw_path = raw_path or b"/"
    if cfg["bind_origin"] and cfg["origin"] is None and not prefix:
        raise SignError("origin bound: absolute URL needed")
    path = escape(raw_path, KEEP_PATH)
    query = escape(raw_query, KEEP_QUERY)
    for seg in path.split(b"/"):
        if seg.lower() in (b".", b"..", b"%2e", b".%2e", b"%2e.", b"%2e%2e"):
            raise SignError("dot segment")
    segs = segments(query)
    if any(name_of(s).startswith(b"sn-") for s in segs):
        raise SignError("already has sn- parameters")
    if len(segs) > MAX_SEGMENTS - 4:
        raise SignError("too many parameters")
    spellings = {}
    for s in segs:  # one name written two ways, ignored parameters included
        name = name_of(s)
        decoded = urllib.parse.unquote_to_bytes(name.replace(b"+", b" "))
        if spellings.setdefault(decoded, name) != name:
            raise SignError("a name written two ways")
    if cfg["bind_method"] and not method:
        raise SignError("method")
    iat = int(now // 1)
    exp = iat + ttl
    kid_b, iat_b, exp_b = kid.encode(), str(iat).encode(), str(exp).encode()
    signed = [s for s in segs if not is_ignored(name_of(s), cfg["ignore_params"])]
    origin = b""
    if cfg["bind_origin"]:
        origin = cfg_origin(cfg) if cfg["origin"] is not None else origin_of(scheme, host)
    alg = "hmac-sha256" if key["type"] == "hmac" else "ed25519"
    msg = build_message(alg, kid_b, iat_b, exp_b, method.encode() if cfg["bind_method"] else b"",
                        origin, path, canonical_query(signed))
    _, sig = key_sign(key, msg)
    params = b"sn-kid=" + kid_b + b"&sn-iat=" + iat_b + b"&sn-exp=" + exp_b + b"&sn-sig=" + b64url(sig).encode()
    target = path + b"?" + query + (b"&" if query else b"") + params
    if len(target) > MAX_TARGET:
        raise SignError("too long")
    out = prefix + target + (hash_ + escape(fragment, KEEP_QUERY) if hash_ else b"")
    return {"message": msg.decode(), "signature": b64url(sig), "signed_url": out.decode(),
            "iat": iat, "exp": exp}


def cfg_origin(cfg):
    scheme, _, host = cfg["origin"].encode().partition(b"://")
    if host.endswith(b"/"):
        host = host[:-1]
    return origin_of(scheme, host)


def message_for(params, cfg, alg, method, scheme, host, path, query_pairs):
    origin = b""
    if cfg["bind_origin"]:
        origin = cfg_origin(cfg) if cfg["origin"] is not None else origin_of(scheme, host)
    return build_message(alg, params[b"sn-kid"], params[b"sn-iat"], params[b"sn-exp"],
                         method if cfg["bind_method"] else b"", origin, path, canonical_query(query_pairs))


def verify(cfg, keys, table, method, scheme, host, target, now):
    """Verifies as the spec's "Verifying a request" says. Returns
    (key name that matched or None, error code or None, message or None)."""
    t = target.encode()
    if len(t) > MAX_TARGET:
        raise Reject("malformed_signature", "target too long")
    uri = re.match(rb"[A-Za-z][A-Za-z0-9+.-]*:", t)  # a URI's scheme
    if not t.startswith(b"/") and uri:  # absolute-form, read as net/http reads it
        path, _, query = t[uri.end():].partition(b"?")
        if path.startswith(b"//"):  # the authority, up to the path
            j = path.find(b"/", 2)
            path = path[j:] if j >= 0 else b""
    else:
        path, _, query = t.partition(b"?")
    path = path or b"/"
    if any(c < 0x20 or c == 0x7F for c in path):
        raise Reject("malformed_signature", "control character in the path")
    segs = segments(query)
    if len(segs) > MAX_SEGMENTS:
        raise Reject("malformed_signature", "too many segments")
    sn, problem, signed = {}, False, []
    for s in segs:
        name, _, value = s.partition(b"=")
        if name.startswith(b"sn-"):
            if name in SN:
                sn.setdefault(name, []).append(value)
            else:
                problem = True
        elif not is_ignored(name, cfg["ignore_params"]):
            signed.append(s)
    sigs = sn.get(b"sn-sig", [])
    if not sigs or (len(sigs) == 1 and sigs[0] == b""):
        raise Reject("missing_signature", "no sn-sig")
    if problem or any(len(v) > 1 for v in sn.values()):
        raise Reject("malformed_signature", "repeated or reserved")
    if any(n not in sn for n in SN):
        raise Reject("malformed_signature", "missing parameter")
    params = {n: v[0] for n, v in sn.items()}
    kid = params[b"sn-kid"]
    if not (1 <= len(kid) <= MAX_KID and all(c in UNRESERVED for c in kid)):
        raise Reject("malformed_signature", "kid")
    if not valid_time(params[b"sn-iat"]) or not valid_time(params[b"sn-exp"]):
        raise Reject("malformed_signature", "time")
    sig_text = params[b"sn-sig"]
    if len(sig_text) not in (43, 86) or any(c not in B64URL for c in sig_text):
        raise Reject("malformed_signature", "signature")
    sig = base64.urlsafe_b64decode(sig_text + b"=" * (-len(sig_text) % 4))
    if b64url(sig).encode() != sig_text:
        raise Reject("malformed_signature", "non-zero unused bits")
    iat, exp = int(params[b"sn-iat"]), int(params[b"sn-exp"])
    if exp < iat:
        raise Reject("malformed_signature", "exp before iat")
    if exp - iat > cfg["max_age"] or exp - now > cfg["max_age"]:
        raise Reject("expired", "longer than the maximum TTL")
    if cfg["bind_origin"] and cfg["origin"] is None and not host:
        raise Reject("missing_required_header", "no Host")
    candidates = [k for k in keys if k["id"].encode() == kid][:MAX_CANDIDATES]
    if not candidates:
        raise Reject("unknown_key", "unknown kid")
    allowed = cfg["algorithms"] or ["hmac-sha256", "ed25519"]
    tried, msg, matched = False, None, None
    for k in candidates:
        key = table[k["key"]]
        alg = {"hmac": "hmac-sha256", "ed25519": "ed25519"}.get(key["type"])
        if alg is None or alg not in allowed or (k.get("algorithm") and k["algorithm"] != alg):
            continue
        tried = True
        m = message_for(params, cfg, alg, method.encode(), scheme.encode(), host.encode(), path, signed)
        msg = msg or m
        if len(sig) != SIG_SIZES[alg]:
            continue
        if alg == "hmac-sha256":
            ok = hmac.compare_digest(hmac.new(bytes.fromhex(key["secret_hex"]), m, hashlib.sha256).digest(), sig)
        else:
            ok = ed25519_verify(bytes.fromhex(key["public_hex"]), m, sig)
        if ok:
            matched, msg = k["key"], m
            break
    if not tried:
        raise Reject("unsupported_algorithm", "no key can verify")
    if matched is None:
        return None, "invalid_signature", msg
    if now > exp:
        return None, "expired", msg
    if iat > now + cfg["clock_skew"]:
        return None, "not_yet_valid", msg
    return matched, None, msg


# ---------------------------------------------------------------------------
# The vectors

T = 1700000000

ED_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"  # RFC 8032 TEST 1


def hmac_key(secret):
    return {"type": "hmac", "secret": secret, "secret_hex": secret.encode().hex()}


def ed_key(seed_hex):
    pub = ed25519_public(bytes.fromhex(seed_hex))
    spki = bytes.fromhex("302a300506032b6570032100") + pub
    b64 = base64.b64encode(spki).decode()
    pem = "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n"
    return {"type": "ed25519", "seed_hex": seed_hex, "public_hex": pub.hex(), "public_key_pem": pem}


KEYS = {
    "hmac-1": hmac_key("signedurl-test-secret-1"),
    "hmac-2": hmac_key("signedurl-test-secret-2"),
    "hmac-old": hmac_key("signedurl-rotation-old"),
    "hmac-new": hmac_key("signedurl-rotation-new"),
    "ed-1": ed_key(ED_SEED),
}


def split_url(url):
    """The request a client makes for url: scheme, host and request-target."""
    url = url.split("#", 1)[0]
    if url.startswith("/"):
        return "https", "example.com", url
    scheme, rest = url.split("://", 1)
    cut = [j for j in (rest.find("/"), rest.find("?")) if j >= 0]
    host = rest[:min(cut)] if cut else rest
    target = rest[min(cut):] if cut else "/"
    if target.startswith("?"):
        target = "/" + target
    return scheme, host, target


def replace_param(target, name, value):
    path, query = target.split("?", 1)
    out = []
    for seg in query.split("&"):
        if seg.split("=", 1)[0] == name:
            if value is None:
                continue
            seg = name + "=" + value if value != "<bare>" else name
        out.append(seg)
    return path + "?" + "&".join(out)


def craft(key_name, kid, iat, exp, method, origin, path, query_pairs, alg=None):
    """A URL signed by hand over chosen parameters (for what a signer refuses to make)."""
    key = KEYS[key_name]
    alg = alg or ("hmac-sha256" if key["type"] == "hmac" else "ed25519")
    msg = build_message(alg, kid.encode(), str(iat).encode(), str(exp).encode(), method.encode(), origin.encode(),
                        path.encode(), canonical_query([p.encode() for p in query_pairs]))
    _, sig = key_sign(key, msg)
    q = "&".join(query_pairs + ["sn-kid=" + kid, "sn-iat=" + str(iat), "sn-exp=" + str(exp), "sn-sig=" + b64url(sig)])
    return path + "?" + q


class Vector:
    def __init__(self, vid, description, tags, config=None, sign=None):
        self.v = {"id": vid, "description": description, "tags": tags, "config": config_of(config),
                  "sign": None, "verify": []}
        self.signed = None
        if sign:
            s = dict(sign)
            key = KEYS[s["key"]]
            out = sign_url(self.v["config"], key, s["key_id"], s["method"], s["url"], s["now"], s["ttl"])
            s.update({k: out[k] for k in ("message", "signature", "signed_url")})
            self.v["sign"] = s
            self.signed = out
            self.scheme, self.host, self.target = split_url(out["signed_url"])
            self.keys = [{"id": s["key_id"], "key": s["key"]}]
            self.now = s["now"]
            self.method = s["method"] or "GET"

    def case(self, note, target=None, method=None, scheme=None, host=None, now=None, keys=None, config=None, valid=None):
        cfg = dict(self.v["config"])
        if config:
            cfg.update(config)
            cfg = config_of(cfg)
        c = {
            "note": note,
            "method": method or self.method,
            "scheme": scheme or self.scheme,
            "host": self.host if host is None else host,
            "target": target or self.target,
            "now": self.now if now is None else now,
            "keys": keys or self.keys,
        }
        if config:
            c["config"] = config
        try:
            matched, code, msg = verify(cfg, c["keys"], KEYS, c["method"], c["scheme"], c["host"], c["target"], c["now"])
        except Reject as r:
            matched, code, msg = None, r.code, None
        c["message"] = msg.decode() if msg is not None else None
        c["expected"] = {"valid": True, "key": matched} if matched else {"valid": False, "error": code}
        if valid is not None:
            assert valid == (matched is not None), (self.v["id"], note, code)
        self.v["verify"].append(c)
        return self


def vectors():
    out = []

    # --- HMAC, the basics: time, tampering, malformed parameters.
    v = Vector("hmac-basic", "HMAC-SHA256 with the defaults: method bound, origin not bound.", ["hmac", "expiry", "tamper", "malformed"],
               sign={"key": "hmac-1", "key_id": "k1", "method": "GET", "url": "https://example.com/files/report.pdf?download=1&lang=en", "now": T, "ttl": 300})
    t, exp, sig = v.target, v.signed["exp"], v.signed["signature"]
    v.case("as signed", valid=True)
    v.case("at exp: the bound is included", now=exp, valid=True)
    v.case("one second before exp", now=exp - 1, valid=True)
    v.case("one second after exp", now=exp + 1, valid=False)
    v.case("half a second after exp: the clock's full precision", now=exp + 0.5, valid=False)
    v.case("at iat - clock_skew: the bound is included", now=T - 60, valid=True)
    v.case("one second before iat - clock_skew", now=T - 61, valid=False)
    v.case("half a second before iat - clock_skew", now=T - 60.5, valid=False)
    v.case("another method (the method is bound)", method="HEAD", valid=False)
    v.case("another path", target=t.replace("report.pdf", "report.pdx"), valid=False)
    v.case("another query value", target=t.replace("lang=en", "lang=fr"), valid=False)
    v.case("a parameter appended", target=t + "&admin=1", valid=False)
    v.case("a parameter removed", target=t.replace("&lang=en", ""), valid=False)
    v.case("parameters of different names reordered", target=t.replace("download=1&lang=en", "lang=en&download=1"), valid=True)
    path, query = t.split("?", 1)
    segs = query.split("&")
    v.case("the sn- parameters first, in another order", target=path + "?" + "&".join(segs[::-1]), valid=True)
    v.case("empty segments added", target=path + "?&" + query.replace("&lang", "&&lang") + "&", valid=True)
    v.case("sn-exp moved one second later", target=replace_param(t, "sn-exp", str(exp + 1)), valid=False)
    v.case("sn-iat moved one second earlier", target=replace_param(t, "sn-iat", str(T - 1)), valid=False)
    v.case("sn-sig removed", target=replace_param(t, "sn-sig", None), valid=False)
    v.case("sn-sig empty", target=replace_param(t, "sn-sig", ""), valid=False)
    v.case("sn-sig without '='", target=replace_param(t, "sn-sig", "<bare>"), valid=False)
    v.case("no query at all", target=path, valid=False)
    v.case("sn-sig truncated", target=replace_param(t, "sn-sig", sig[:-1]), valid=False)
    v.case("sn-sig padded", target=replace_param(t, "sn-sig", sig + "="), valid=False)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(sig[-1])
    v.case("sn-sig with non-zero unused bits", target=replace_param(t, "sn-sig", sig[:-1] + alphabet[last ^ 1]), valid=False)
    first = alphabet.index(sig[0])
    v.case("sn-sig with its first character changed", target=replace_param(t, "sn-sig", alphabet[first ^ 1] + sig[1:]), valid=False)
    v.case("sn-sig in the standard base64 alphabet", target=replace_param(t, "sn-sig", "+" + sig[1:]), valid=False)
    v.case("sn-sig percent-encoded", target=replace_param(t, "sn-sig", "%" + "%02X" % ord(sig[0]) + sig[1:]), valid=False)
    v.case("sn-sig repeated", target=t + "&sn-sig=" + sig, valid=False)
    v.case("sn-exp repeated", target=t + "&sn-exp=" + str(exp), valid=False)
    v.case("a reserved sn- parameter", target=t + "&sn-v=2", valid=False)
    v.case("SN-KID is not sn-kid: an ordinary, unsigned parameter", target=t + "&SN-KID=k1", valid=False)
    v.case("sn-kid missing", target=replace_param(t, "sn-kid", None), valid=False)
    v.case("sn-exp with a leading zero", target=replace_param(t, "sn-exp", "0" + str(exp)), valid=False)
    v.case("sn-exp with a sign", target=replace_param(t, "sn-exp", "+" + str(exp)), valid=False)
    v.case("sn-iat of 13 digits", target=replace_param(t, "sn-iat", "1" + "0" * 12), valid=False)
    v.case("sn-kid with a character outside the unreserved set", target=replace_param(t, "sn-kid", "k%31"), valid=False)
    v.case("sn-kid unknown", target=replace_param(t, "sn-kid", "k9"), valid=False)
    v.case("another secret registered under k1", keys=[{"id": "k1", "key": "hmac-2"}], valid=False)
    v.case("a fragment sent in the request-target becomes part of sn-sig", target=t + "#top", valid=False)
    v.case("absolute-form request-target", target="http://example.com" + t, valid=True)
    v.case("the key pinned to hmac-sha256", keys=[{"id": "k1", "key": "hmac-1", "algorithm": "hmac-sha256"}], valid=True)
    v.case("the key pinned to hmac-sha512, which this scheme does not have", keys=[{"id": "k1", "key": "hmac-1", "algorithm": "hmac-sha512"}], valid=False)
    v.case("HMAC not allowed", config={"algorithms": ["ed25519"]}, valid=False)
    v.case("the method not bound by the verifier", config={"bind_method": False}, valid=False)
    out.append(v)

    # --- Canonical query: exact bytes, repeated names, blank values, ';', '+', %2F.
    v = Vector("hmac-query-canonical", "The canonical query keeps every pair byte for byte and sorts by name, stably.", ["hmac", "query", "tamper"],
               sign={"key": "hmac-1", "key_id": "k1", "method": "GET", "now": T, "ttl": 600,
                     "url": "https://example.com/search?tag=x&q=a+b&tag=y&empty=&flag&=v&a;b=c&path=%2Fetc&Tag=Z&b=2&a=1"})
    t = v.target
    v.case("as signed", valid=True)
    v.case("the values of a repeated name swapped", target=t.replace("tag=x", "tag=TMP").replace("tag=y", "tag=x").replace("tag=TMP", "tag=y"), valid=False)
    v.case("'+' sent as %20", target=t.replace("q=a+b", "q=a%20b"), valid=False)
    v.case("'+' sent as %2B", target=t.replace("q=a+b", "q=a%2Bb"), valid=False)
    v.case("%2F sent as %2f", target=t.replace("%2Fetc", "%2fetc"), valid=False)
    v.case("%2F sent as '/'", target=t.replace("%2Fetc", "/etc"), valid=False)
    v.case("a blank value removed", target=t.replace("&empty=", ""), valid=False)
    v.case("a bare name given a blank value", target=t.replace("&flag&", "&flag=&"), valid=False)
    v.case("a pair with an empty name removed", target=t.replace("&=v", ""), valid=False)
    v.case("';' turned into '&'", target=t.replace("a;b=c", "a&b=c"), valid=False)
    v.case("a name's case changed", target=t.replace("Tag=Z", "tag=Z"), valid=False)
    v.case("different names reordered", target=t.replace("&b=2&a=1", "&a=1&b=2"), valid=True)
    v.case("empty segments added", target=t.replace("&", "&&", 3), valid=True)
    out.append(v)

    # --- Escaping by the signer; unicode; the path byte for byte.
    v = Vector("hmac-unicode-escaping", "The signer percent-encodes what clients would (non-ASCII, spaces, quotes, '|'); the verifier compares bytes.", ["hmac", "unicode", "escaping", "tamper"],
               sign={"key": "hmac-1", "key_id": "k1", "method": "GET", "now": T, "ttl": 600,
                     "url": "https://example.com/ünï cödé/файл.txt?q=日本語&emoji=😀&sp=a b&quote='x'&pipe=a|b&keep=!$()*,;:@/?"})
    t = v.target
    v.case("as signed (escaped)", valid=True)
    raw = t.replace("%C3%BC", "ü")
    v.case("the path sent as raw UTF-8", target=raw, valid=False)
    v.case("an escape in lower-case hex", target=t.replace("%C3%BC", "%c3%bc"), valid=False)
    v.case("%27 sent as a raw quote", target=t.replace("%27", "'"), valid=False)
    out.append(v)

    v = Vector("hmac-path-bytes", "The path is signed byte for byte: %2F, ';', '@', ':' and sub-delims included.", ["hmac", "path", "tamper"],
               sign={"key": "hmac-1", "key_id": "k1", "method": "PUT", "now": T, "ttl": 60,
                     "url": "https://example.com/a%2Fb/c%2fd/%41;v=1/@x:y/!$&'()*+,=/"})
    t = v.target
    v.case("as signed", valid=True)
    v.case("%2F decoded", target=t.replace("a%2Fb", "a/b"), valid=False)
    v.case("%41 decoded", target=t.replace("%41", "A"), valid=False)
    v.case("the trailing slash removed", target=t.replace("=/?", "=?"), valid=False)
    v.case("GET instead of PUT", method="GET", valid=False)
    out.append(v)

    v = Vector("hmac-raw-utf8-target", "A URL signed over raw UTF-8 bytes (by hand: a signer escapes them) verifies when sent raw.", ["hmac", "unicode"])
    v.scheme, v.host, v.now, v.method, v.keys = "https", "example.com", T, "GET", [{"id": "k1", "key": "hmac-1"}]
    v.target = craft("hmac-1", "k1", T, T + 60, "GET", "", "/ü", ["q=é"])
    v.case("raw UTF-8 path and query", valid=True)
    v.case("the same, escaped", target=v.target.replace("ü", "%C3%BC"), valid=False)
    out.append(v)

    # --- Ignored parameters.
    v = Vector("hmac-ignored-params", "Ignored parameters (utm_* prefix, exact fbclid and ref) may be added, changed or removed after signing.", ["hmac", "ignored"],
               config={"ignore_params": ["utm_*", "fbclid", "ref"]},
               sign={"key": "hmac-1", "key_id": "k1", "method": "GET", "now": T, "ttl": 600, "url": "https://example.com/landing?id=7&ref=newsletter"})
    t = v.target
    v.case("as signed (ref is not in the message)", valid=True)
    v.case("utm_ parameters appended", target=t + "&utm_source=mail&utm_medium=email", valid=True)
    v.case("fbclid appended", target=t + "&fbclid=AbC", valid=True)
    v.case("ref changed", target=t.replace("ref=newsletter", "ref=ad"), valid=True)
    v.case("ref removed", target=t.replace("&ref=newsletter", ""), valid=True)
    v.case("an ignored parameter between signed ones", target=t.replace("id=7", "utm_x=1&id=7"), valid=True)
    v.case("utm without '_' does not match utm_*", target=t + "&utm=1", valid=False)
    v.case("names match case-sensitively", target=t + "&UTM_source=x", valid=False)
    v.case("names match undecoded", target=t + "&utm%5Fsource=x", valid=False)
    v.case("fbclid2 does not match fbclid", target=t + "&fbclid2=x", valid=False)
    v.case("a signed value changed", target=t.replace("id=7", "id=8"), valid=False)
    v.case("a verifier ignoring nothing signs ref", config={"ignore_params": []}, valid=False)
    out.append(v)

    # --- Ed25519.
    v = Vector("ed25519-basic", "Ed25519 with RFC 8032's first test key; the key decides the algorithm.", ["ed25519", "expiry", "tamper", "algorithm"],
               sign={"key": "ed-1", "key_id": "ed1", "method": "GET", "now": T, "ttl": 3600, "url": "https://cdn.example.com/v/clip.mp4?quality=hd&t=0"})
    t, exp, sig = v.target, v.signed["exp"], v.signed["signature"]
    v.case("as signed", valid=True)
    v.case("at exp", now=exp, valid=True)
    v.case("one second after exp", now=exp + 1, valid=False)
    v.case("another query value", target=t.replace("quality=hd", "quality=4k"), valid=False)
    v.case("sn-sig truncated", target=replace_param(t, "sn-sig", sig[:-1]), valid=False)
    v.case("an HMAC secret under ed1 cannot verify an Ed25519 signature", keys=[{"id": "ed1", "key": "hmac-1"}], valid=False)
    v.case("pinned to ed25519", keys=[{"id": "ed1", "key": "ed-1", "algorithm": "ed25519"}], valid=True)
    v.case("pinned to hmac-sha256", keys=[{"id": "ed1", "key": "ed-1", "algorithm": "hmac-sha256"}], valid=False)
    v.case("Ed25519 not allowed", config={"algorithms": ["hmac-sha256"]}, valid=False)
    v.case("only Ed25519 allowed", config={"algorithms": ["ed25519"]}, valid=True)
    out.append(v)

    # --- Rotation.
    for which in ("hmac-old", "hmac-new"):
        v = Vector("rotation-" + which.split("-")[1] + "-key", "Key rotation: several keys under one id, each tried in order.", ["hmac", "rotation"],
                   sign={"key": which, "key_id": "k1", "method": "GET", "now": T, "ttl": 300, "url": "https://example.com/r?x=1"})
        both = [{"id": "k1", "key": "hmac-new"}, {"id": "k1", "key": "hmac-old"}]
        v.case("new key first, then old", keys=both, valid=True)
        v.case("old key first, then new", keys=both[::-1], valid=True)
        v.case("only the new key", keys=[both[0]], valid=(which == "hmac-new"))
        v.case("only the old key", keys=[both[1]], valid=(which == "hmac-old"))
        v.case("an Ed25519 key and the two secrets under one id", keys=[{"id": "k1", "key": "ed-1"}] + both, valid=True)
        v.case("one key pinned elsewhere is skipped", keys=[{"id": "k1", "key": "hmac-new", "algorithm": "ed25519"}, {"id": "k1", "key": "hmac-old", "algorithm": "ed25519"}, {"id": "k1", "key": which}], valid=True)
        v.case("every key pinned elsewhere", keys=[{"id": "k1", "key": "hmac-new", "algorithm": "ed25519"}, {"id": "k1", "key": "hmac-old", "algorithm": "ed25519"}], valid=False)
        v.case("keys of other ids are not tried", keys=[{"id": "k0", "key": which}, {"id": "k1", "key": "hmac-2"}], valid=False)
        out.append(v)

    # --- Maximum TTL.
    v = Vector("hmac-max-ttl", "max_age 3600: a URL valid for longer is rejected, even when signed.", ["hmac", "expiry", "max-ttl"],
               config={"max_age": 3600},
               sign={"key": "hmac-1", "key_id": "k1", "method": "GET", "now": T, "ttl": 3600, "url": "https://example.com/m"})
    v.case("a TTL of exactly max_age", valid=True)
    v.case("at exp", now=T + 3600, valid=True)
    v.case("one second after exp", now=T + 3601, valid=False)
    v.case("exp - iat one second over max_age", target=craft("hmac-1", "k1", T, T + 3601, "GET", "", "/m", []), valid=False)
    v.case("exp - now over max_age (iat 30 s ahead, within clock_skew)", target=craft("hmac-1", "k1", T + 30, T + 3630, "GET", "", "/m", []), valid=False)
    v.case("iat ahead within clock_skew, exp - now at max_age", target=craft("hmac-1", "k1", T + 30, T + 3600, "GET", "", "/m", []), valid=True)
    v.case("an old URL with a long lifetime", target=craft("hmac-1", "k1", T - 7200, T + 100, "GET", "", "/m", []), valid=False)
    v.case("exp before iat", target=craft("hmac-1", "k1", T, T - 1, "GET", "", "/m", []), valid=False)
    v.case("exp equal to iat, at that instant", target=craft("hmac-1", "k1", T, T, "GET", "", "/m", []), valid=True)
    v.case("the same with the default max_age", config={"max_age": 7 * 24 * 3600}, target=craft("hmac-1", "k1", T, T + 3601, "GET", "", "/m", []), valid=True)
    out.append(v)

    v = Vector("hmac-default-max-ttl", "The default maximum TTL is 7 days.", ["hmac", "expiry", "max-ttl"],
               sign={"key": "hmac-1", "key_id": "k1", "method": "GET", "now": T, "ttl": 7 * 24 * 3600, "url": "https://example.com/week"})
    v.case("a TTL of 7 days", valid=True)
    v.case("at exp", now=T + 7 * 24 * 3600, valid=True)
    v.case("7 days and one second", target=craft("hmac-1", "k1", T, T + 7 * 24 * 3600 + 1, "GET", "", "/week", []), valid=False)
    out.append(v)

    v = Vector("hmac-no-clock-skew", "clock_skew 0: a URL is not valid before its sn-iat.", ["hmac", "expiry"],
               config={"clock_skew": 0},
               sign={"key": "hmac-1", "key_id": "k1", "method": "GET", "now": T, "ttl": 60, "url": "https://example.com/now"})
    v.case("at iat", valid=True)
    v.case("one second before iat", now=T - 1, valid=False)
    v.case("a millisecond before iat", now=T - 0.001, valid=False)
    out.append(v)

    # --- Bindings.
    v = Vector("hmac-method-unbound", "bind_method false: the method line is empty and any method is accepted.", ["hmac", "method"],
               config={"bind_method": False},
               sign={"key": "hmac-1", "key_id": "k1", "method": "", "now": T, "ttl": 60, "url": "https://example.com/any?x=1"})
    for m in ("GET", "HEAD", "POST", "DELETE"):
        v.case(m, method=m, valid=True)
    v.case("a verifier binding the method", config={"bind_method": True}, valid=False)
    out.append(v)

    v = Vector("hmac-origin-bound", "bind_origin true: the request's scheme and Host are signed, normalised.", ["hmac", "origin", "multi-tenant"],
               config={"bind_origin": True},
               sign={"key": "hmac-1", "key_id": "k1", "method": "GET", "now": T, "ttl": 60, "url": "http://Tenant-A.Example.com:80/report?x=1"})
    v.case("Host as a browser sends it", host="tenant-a.example.com", valid=True)
    v.case("Host in upper case with the default port", host="TENANT-A.EXAMPLE.COM:80", valid=True)
    v.case("another tenant's host", host="tenant-b.example.com", valid=False)
    v.case("another port", host="tenant-a.example.com:8080", valid=False)
    v.case("over TLS", scheme="https", host="tenant-a.example.com", valid=False)
    v.case("a verifier not binding the origin", config={"bind_origin": False}, valid=False)
    out.append(v)

    v = Vector("hmac-origin-https-default-port", "An https origin drops :443, not :80.", ["hmac", "origin"],
               config={"bind_origin": True},
               sign={"key": "hmac-1", "key_id": "k1", "method": "GET", "now": T, "ttl": 60, "url": "https://API.example.com:443/x"})
    v.case("over TLS, Host without port", host="api.example.com", valid=True)
    v.case("over TLS, Host with :443", host="api.example.com:443", valid=True)
    v.case("over TLS, Host with :80", host="api.example.com:80", valid=False)
    out.append(v)

    v = Vector("hmac-public-origin", "origin https://files.example.com: behind a proxy, the request's host and scheme do not matter; a path-only URL can be signed.", ["hmac", "origin", "proxy"],
               config={"origin": "https://Files.Example.com:443/"},
               sign={"key": "hmac-1", "key_id": "k1", "method": "GET", "now": T, "ttl": 60, "url": "/d/1?x=1"})
    v.case("from the proxy, over plain HTTP", scheme="http", host="10.0.0.7:8080", valid=True)
    v.case("directly", scheme="https", host="files.example.com", valid=True)
    v.case("a verifier configured with another origin", config={"origin": "https://other.example.com"}, valid=False)
    v.case("a verifier binding the request's origin instead", config={"origin": None, "bind_origin": True}, scheme="https", host="files.example.com", valid=True)
    v.case("the same, from the proxy", config={"origin": None, "bind_origin": True}, scheme="http", host="10.0.0.7:8080", valid=False)
    out.append(v)

    # --- URL shapes.
    v = Vector("hmac-fragment", "The fragment is kept at the end of the signed URL, escaped like a query, and never signed or sent.", ["hmac", "fragment"],
               sign={"key": "hmac-1", "key_id": "k1", "method": "GET", "now": T, "ttl": 60, "url": "https://example.com/doc?page=2#section 3"})
    v.case("as a client sends it (no fragment)", valid=True)
    out.append(v)

    v = Vector("hmac-root-no-query", "A URL without a path or query: the path is '/', the query only the sn- parameters.", ["hmac"],
               sign={"key": "hmac-1", "key_id": "k1", "method": "GET", "now": T, "ttl": 60, "url": "https://example.com"})
    v.case("as signed", valid=True)
    v.case("path '' in absolute form is '/'", target="http://example.com?" + v.target.split("?", 1)[1], valid=True)
    out.append(v)

    v = Vector("hmac-trailing-ampersand", "A query ending in '&' keeps it: the empty segment is dropped from the message.", ["hmac", "query"],
               sign={"key": "hmac-1", "key_id": "k1", "method": "GET", "now": T, "ttl": 60, "url": "https://example.com/a?x=1&"})
    v.case("as signed", valid=True)
    v.case("with a single '&'", target=v.target.replace("&&", "&"), valid=True)
    out.append(v)

    # --- Limits.
    v = Vector("hmac-limits", "At most 256 non-empty query segments and 16384 bytes of request-target.", ["hmac", "limits", "malformed"],
               sign={"key": "hmac-1", "key_id": "k1", "method": "GET", "now": T, "ttl": 60,
                     "url": "https://example.com/p?" + "&".join("p%d=%d" % (i, i) for i in range(252))})
    t = v.target
    v.case("256 segments", valid=True)
    v.case("257 segments", target=t + "&p252=252", valid=False)
    v.case("empty segments do not count", target=t + "&&&", valid=True)
    out.append(v)
    base = "https://example.com/long?pad="
    probe = sign_url(config_of(None), KEYS["hmac-1"], "k1", "GET", base, T, 60)
    pad = MAX_TARGET - len(split_url(probe["signed_url"])[2])
    v = Vector("hmac-long-url", "A request-target of exactly 16384 bytes is read; one byte more is not.", ["hmac", "limits", "malformed"],
               sign={"key": "hmac-1", "key_id": "k1", "method": "GET", "now": T, "ttl": 60, "url": base + "x" * pad})
    assert len(v.target) == MAX_TARGET
    v.case("16384 bytes", valid=True)
    v.case("16385 bytes", target=v.target + "y", valid=False)
    out.append(v)

    return out


# Signing errors: what a signer must refuse.
SIGN_ERRORS = [
    {"note": "a dot segment", "method": "GET", "url": "https://example.com/a/../b", "ttl": 60},
    {"note": "an escaped dot segment", "method": "GET", "url": "https://example.com/a/%2E%2e/b", "ttl": 60},
    {"note": "a single dot segment", "method": "GET", "url": "/a/./b", "ttl": 60},
    {"note": "an sn- parameter", "method": "GET", "url": "https://example.com/a?sn-kid=k1", "ttl": 60},
    {"note": "a reserved sn- parameter", "method": "GET", "url": "https://example.com/a?sn-x=1", "ttl": 60},
    {"note": "an invalid escape", "method": "GET", "url": "https://example.com/a%zz", "ttl": 60},
    {"note": "an invalid escape in the fragment", "method": "GET", "url": "https://example.com/a#%", "ttl": 60},
    {"note": "a truncated escape in the query", "method": "GET", "url": "https://example.com/a?q=%4", "ttl": 60},
    {"note": "a TTL of zero", "method": "GET", "url": "https://example.com/a", "ttl": 0},
    {"note": "a TTL over the maximum", "method": "GET", "url": "https://example.com/a", "ttl": 7 * 24 * 3600 + 1},
    {"note": "an ftp URL", "method": "GET", "url": "ftp://example.com/a", "ttl": 60},
    {"note": "a relative path", "method": "GET", "url": "a/b", "ttl": 60},
    {"note": "a network-path reference", "method": "GET", "url": "//example.com/a", "ttl": 60},
    {"note": "user info", "method": "GET", "url": "https://user@example.com/a", "ttl": 60},
    {"note": "a non-ASCII host", "method": "GET", "url": "https://bücher.example/a", "ttl": 60},
    {"note": "no method while it is bound", "method": "", "url": "https://example.com/a", "ttl": 60},
    {"note": "a path-only URL while the request's origin is bound", "method": "GET", "url": "/a", "ttl": 60, "config": {"bind_origin": True}},
    {"note": "one name written two ways", "method": "GET", "url": "https://example.com/a?a%62=1&ab=2", "ttl": 60},
    {"note": "a plus and an escaped space in one name", "method": "GET", "url": "https://example.com/a?a+b=1&a%20b=2", "ttl": 60},
    {"note": "one ignored name written two ways", "method": "GET", "url": "https://example.com/a?utm_a=1&utm%5Fa=2", "ttl": 60, "config": {"ignore_params": ["utm_*"]}},
    {"note": "253 query parameters", "method": "GET", "url": "https://example.com/p?" + "&".join("p%d=1" % i for i in range(253)), "ttl": 60},
]


def main():
    _self_test()
    vs = vectors()
    for e in SIGN_ERRORS:
        try:
            sign_url(config_of(e.get("config")), KEYS["hmac-1"], "k1", e["method"], e["url"], T, e["ttl"])
        except SignError:
            continue
        raise AssertionError("signed: " + e["note"])
    doc = {
        "scheme": "signedurl",
        "spec": "docs/schemes/signedurl.md",
        "generated_by": "core/testdata/signedurl/generate.py: an independent Python 3 implementation of the spec, standard library only",
        "format": {
            "keys": "name -> {type: hmac (secret, secret_hex) | ed25519 (seed_hex, public_hex, public_key_pem)}",
            "config": "the verifier's (and signer's) options, conformance names; origin non-null implies bind_origin",
            "sign": "null, or the signer's input (key, key_id, method, url, now, ttl) and output (message: the signed bytes as UTF-8 text, signature, signed_url)",
            "verify[]": "a request (method, scheme, host, target sent byte for byte, now: unix seconds, may be fractional), "
                        "the key store (keys: [{id, key, algorithm?}] in lookup order), config overrides, "
                        "message (the bytes built with the first key that passes the policy, or with the key that matched; null when the checks stop before), "
                        "expected {valid: true, key: the key name that matched} or {valid: false, error: code}",
            "sign_errors[]": "inputs a signer refuses (with key hmac-1, id k1, clock 1700000000, default config unless config)",
        },
        "keys": KEYS,
        "vectors": [v.v for v in vs],
        "sign_errors": SIGN_ERRORS,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vectors.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    cases = sum(len(v.v["verify"]) for v in vs)
    print("wrote %s: %d vectors, %d verification cases, %d signing errors" % (path, len(vs), cases, len(SIGN_ERRORS)), file=sys.stderr)


if __name__ == "__main__":
    main()
