"""Generates pysigned_python.json: what CPython's own functions answer for the
inputs signet's pysigned clones of them must reproduce (urlparse/geturl,
parse_qsl, quote_plus, int(), bytes.fromhex, pysigned's _unpadded_b64decode),
and random URLs signed by a transcription of URLAuth.sign (pysigned 0.2.5,
spec/pysigned.md: the same few lines as signature.py) over those functions.

    python3.11 core/testdata/pysigned_python.py > core/testdata/pysigned_python.json

Only the standard library is used. Inputs are hand-picked edge cases plus
random strings from a fixed seed, so the file is reproducible.
"""

import base64
import binascii
import hashlib
import hmac
import json
import random
import sys
from urllib.parse import parse_qsl, quote_plus, urlencode, urlparse

assert sys.version_info[:2] == (3, 11), "pysigned's spec follows Python 3.11"

rng = random.Random(20261129)


def pick(alphabet, lo, hi):
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(lo, hi)))


def escape():
    return "%" + rng.choice(["%02X" % rng.randrange(256), "%02x" % rng.randrange(256), "zz", "4", "", "%"])


def error(e):
    return {"error": type(e).__name__}


# --- urlparse ------------------------------------------------------------
urls = [
    "https://example.com/a?b=1",
    "HTTPS://Example.COM:8443/Path?x=1",
    "https://example.com",
    "https://example.com?x=1",
    "https://example.com/?x=1#",
    "https://example.com/a;v=1/b;w=2?x=1",
    "https://example.com/a;v=1/b?x=1",
    "https://example.com/;x",
    "https://example.com;x",
    "http://example.com/a;b;c/d;e;f",
    "ftp://h/a;type=i",
    "ws://h/a;b",
    "mailto:a@b;c",
    "a;b/c;d",
    ";x",
    "https://example.com/a?b=1#frag?x",
    "https://example.com/a#f?q",
    "https://u:p@[::1]:8080/x",
    "https://[::1/x",
    "https://::1]/x",
    "https://[v1.fe]/",
    "https://[vz.fe]/",
    "https://[1.2.3.4]/",
    "https://[fe80::1%25eth0]/",
    "https://[fe80::1%eth0]/",
    "https://[fe80::1%]/",
    "https://[::ffff:1.2.3.4]/",
    "https://[a]b]/",
    " \x00\x1fhttps://example.com/a",
    "https://exa\tmple.com/a\r\nb?c\td",
    "//example.com/x",
    "/just/a/path?x",
    "1http://x/",
    "h$ttp://x/",
    "http:x",
    "http:/x",
    "http:///x",
    "svn+ssh://h/x",
    "https://example.com/café?name=zoë",
    "https://example.com/files/a%2Fb%20c?x=1",
    "HtTp://H/",
    "https://h//double//slash",
    "git:",
    "https:",
    "file:/etc",
    "git:x",
    "s3://bucket/key;v",
]
url_alphabet = "ab/:;?#@[]%2F +=&é€\U0001F600.\t"
for _ in range(300):
    urls.append(rng.choice(["https://", "http://", "HTTP://", "ftp://", "", "x:", "//"]) + pick(url_alphabet, 0, 14))
url_cases = []
for u in urls:
    try:
        p = urlparse(u)
        url_cases.append({"in": u, "out": list(p), "geturl": p.geturl()})
    except ValueError as e:
        url_cases.append({"in": u, **error(e)})

# --- parse_qsl and quote_plus ------------------------------------------------
queries = [
    "", "a", "a=", "=a", "=", "&&", "a=1&&b=2", "a=1;b=2", "a=%zz&b=%FF&c=%E2%82&d=x=y",
    "q=hello+world&u=a%2Bb&v=x*y/z", "%73ig=1", "a+b=c+d", "a=%", "a=%4", "a=%%41", "a=%C3%28",
    "a=%FF%FE", "a=%F0%9F%98", "a=%F0%9F%98%80", "a=%ED%A0%80", "a=%C0%AF", "a=%E0%80%AF",
    "a=%F4%90%80%80", "a=%F5", "a=é", "a=%C3é%A9", "a=%E2%82€", "a=\x00", "a=%00", "k=%e9%80%80%",
    "a=1&a=&a=2", "flag&empty=&a=1", "a=1#x", "%=%", "a==b",
]
qs_alphabet = "ab=&;+% é€\U0001F600_.~*/"
for _ in range(400):
    q = ""
    for _ in range(rng.randint(0, 8)):
        q += rng.choice([pick(qs_alphabet, 0, 4), escape(), escape() + escape()])
    queries.append(q)
qsl_cases = [{"in": q, "out": [list(p) for p in parse_qsl(q)]} for q in queries]
quote_cases = [{"in": s, "out": quote_plus(s, safe="")} for s in
               ["", "a b", "~._-", "*/;=&+%", "é€\U0001F600", "\x00\x7f", "\ufffd"] +
               [pick(qs_alphabet + "\x01\u0085", 0, 12) for _ in range(100)]]

# --- int() ----------------------------------------------------------------
ints = [
    "1700000600", "01700000600", "+1700000600", " 1700000600 ", "1700_000600", "1_7", "_17", "17_",
    "1__7", "0", "-0", "+0", "000", "-5", "--5", "+-5", "- 5", "5 ", "\t5\n", "\x0b5\x0c", "\x1c5",
    "5\x1f", "\u00a05\u3000", "\u20285", "\u0665\u0660", "١٧", "\uff11\uff12", "\U0001D7CE", "1\u0660",
    "0x10", "1e3", "1.0", "", " ", "_", "+", "5\x00", "\u180e5", "\x855", "9" * 4300, "9" * 4301,
    "0" * 4300 + "1", "1" + "_0" * 4299, "99999999999999999999", "-99999999999999999999",
    "\U00011F51", "\U0001E4F1",
]
int_alphabet = "0123456789_ +-\t\u00a0\u0665\uff15x\x1c"
for _ in range(300):
    ints.append(pick(int_alphabet, 0, 8))
int_cases = []
for s in ints:
    try:
        int_cases.append({"in": s, "out": str(int(s))})
    except ValueError as e:
        int_cases.append({"in": s, **error(e)})

# --- bytes.fromhex --------------------------------------------------------------
hexes = ["", "00", "0", "ab cd", " ab\tcd\n", "a bcd", "AbCd", "zz", "ab\x0bcd\x0c", "ab\x1ccd", "é", "0g"]
for _ in range(200):
    hexes.append(pick("0123456789abcdefABCDEF \t\nxg", 0, 10))
hex_cases = []
for s in hexes:
    try:
        hex_cases.append({"in": s, "out": bytes.fromhex(s).hex()})
    except ValueError as e:
        hex_cases.append({"in": s, **error(e)})


# --- pysigned's _unpadded_b64decode -------------------------------------------------
def unpadded_b64decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


b64s = ["", "A", "AA", "AAA", "AAAA", "AA==", "AA=", "AA=A", "A===", "AB=CD", "AAA!", "AA!!", "-_-_",
        "+/+/", "AAAA====AAAA", "A=A=A", "é", "AQAB", "d3d3", "AA==AA"]
for _ in range(300):
    b64s.append(pick("ABab09+/-_=!. ", 0, 9))
b64_cases = []
for s in b64s:
    try:
        b64_cases.append({"in": s, "out": unpadded_b64decode(s).hex()})
    except (ValueError, binascii.Error) as e:
        b64_cases.append({"in": s, "error": "Error"})



# --- URLAuth.sign (0.2.5) over random URLs -------------------------------------------
def message(parsed, exp, excluded):
    pairs = sorted((k, v) for k, v in parse_qsl(parsed.query) if k not in excluded)
    canonical = parsed._replace(query=urlencode(pairs))
    parts = (str(exp), canonical.scheme, canonical.netloc, canonical.path, canonical.params, canonical.query)
    return "\n".join(parts).encode("utf-8")


def sign(url, key, exp, excluded):
    parsed = urlparse(url)
    msg = message(parsed, exp, excluded)
    sig = hmac.new(key, msg, "sha512").hexdigest()
    query = parse_qsl(parsed.query) + [("sig", sig), ("exp", str(exp))]
    return parsed._replace(query=urlencode(query)).geturl(), msg


hmac_key = bytes(range(64))  # the vectors' hmac_a
path_alphabet = "ab/%2F;=+ é€😀~*"
signed_cases = []
for _ in range(300):
    url = rng.choice(["https://", "http://", "HTTPS://"]) + rng.choice(["example.com", "Ex.COM:8443", "[::1]:80", "h"])
    url += rng.choice(["", "/"]) + pick(path_alphabet, 0, 8)
    if rng.random() < 0.9:
        url += "?" + "&".join(rng.choice(["a", "b", "sig", "exp", "utm", "é", "a+b", "%61"]) +
                              rng.choice(["=", "", "=="]) + pick(qs_alphabet.replace("&", ""), 0, 4) +
                              (escape() if rng.random() < 0.3 else "") for _ in range(rng.randint(0, 5)))
    if rng.random() < 0.2:
        url += "#" + pick(path_alphabet + "?#", 0, 5)
    excluded = {"sig", "exp"} | ({"utm"} if rng.random() < 0.3 else set())
    exp = 1700000000 + rng.choice([600, 1, -100, 315360000])
    signed_url, msg = sign(url, hmac_key, exp, excluded)
    signed_cases.append({"url": url, "exp": exp, "ignore": sorted(excluded - {"sig", "exp"}),
                         "message": msg.decode("utf-8"), "signed_url": signed_url})

json.dump({
    "generated_by": "core/testdata/pysigned_python.py on CPython " + sys.version.split()[0],
    "urlparse": url_cases,
    "parse_qsl": qsl_cases,
    "quote_plus": quote_cases,
    "int": int_cases,
    "fromhex": hex_cases,
    "unpadded_b64decode": b64_cases,
    "signed": signed_cases,
}, sys.stdout, indent=0, ensure_ascii=True)
sys.stdout.write("\n")
