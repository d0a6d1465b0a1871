'use strict';
// RFC 3230 Digest headers: neither npm peer has any, so the harness adds
// them (the signer sends one, the http-signature server checks it).
const crypto = require('crypto');

const hashes = { 'SHA-256': 'sha256', 'SHA-512': 'sha512' };

// digestHeader is the Digest header of body (a Buffer) with SHA-256.
function digestHeader(body) {
  return 'SHA-256=' + crypto.createHash('sha256').update(body).digest('base64');
}

// checkDigest returns null when the Digest header value matches body, or
// the reason it does not. Instances of unknown algorithms are skipped; at
// least one SHA-256 or SHA-512 instance must be present.
function checkDigest(value, body) {
  let checked = 0;
  for (const instance of value.split(',')) {
    const at = instance.indexOf('=');
    const hash = hashes[instance.slice(0, at).trim().toUpperCase()];
    if (at < 0 || !hash) continue;
    const want = crypto.createHash(hash).update(body).digest('base64');
    if (instance.slice(at + 1).trim() !== want) return 'Digest does not match the body';
    checked++;
  }
  return checked ? null : 'Digest names no supported algorithm (SHA-256, SHA-512)';
}

module.exports = { digestHeader, checkDigest };
