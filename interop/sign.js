'use strict';
// Signs described requests with the real peers' own signers.
//
// A description: {peer, method, target, headers: [[name, value]…],
// body, digest, key_id, secret | private_key_pem, algorithm,
// signed_headers, request_target, expires_in, authorization_header_name}
// (the last two for http-signature only, passed to signRequest). The
// answer: the same request's header lines to send, in order, including
// Date, Digest and Authorization (or Signature).
const HttpSignature = require('http-signature');
const APISignatureSigner = require('api-signature').Signer;
const { digestHeader } = require('./digest');

// prepare returns the header lines of d, with a Digest of its body when
// d.digest is set (neither peer makes one).
function prepare(d) {
  const lines = d.headers.map(([n, v]) => [n.toLowerCase(), v]);
  if (d.digest) lines.push(['digest', digestHeader(Buffer.from(d.body || '', 'utf8'))]);
  return lines;
}

// signHTTPSignature signs with http-signature's signRequest, on an object
// with the part of ClientRequest it uses (method, path, get/setHeader).
function signHTTPSignature(d) {
  const headers = new Map(prepare(d));
  const request = {
    method: d.method,
    path: d.target,
    getHeader: (n) => headers.get(n.toLowerCase()),
    setHeader: (n, v) => headers.set(n.toLowerCase(), v),
  };
  HttpSignature.signRequest(request, {
    keyId: d.key_id,
    key: d.secret !== undefined ? d.secret : d.private_key_pem,
    algorithm: d.algorithm,
    headers: d.signed_headers,
    expiresIn: d.expires_in,
    authorizationHeaderName: d.authorization_header_name,
  });
  return [...headers];
}

// signAPISignature signs with api-signature's bundled Signer (always
// hmac-sha256). As its README shows, the caller supplies every signed
// value, (request-target) included: d.request_target, usually the bare
// path, as the middleware compares it with Express's req.path.
function signAPISignature(d) {
  if (d.algorithm !== 'hmac-sha256') throw new Error('api-signature signs hmac-sha256 only');
  const lines = new Map(prepare(d));
  const data = {};
  for (const name of d.signed_headers) {
    if (name === '(request-target)') data[name] = d.method.toLowerCase() + ' ' + d.request_target;
    else data[name] = name === 'date' ? '' : lines.get(name); // the Signer sets date
  }
  const signed = new APISignatureSigner(d.key_id, d.secret).signHeaders(data);
  lines.set('date', signed.date);
  lines.set('authorization', signed.Authorization);
  return [...lines];
}

const signers = { 'api-signature': signAPISignature, 'http-signature': signHTTPSignature };

// sign returns the header lines of each description, signed.
function sign(descriptions) {
  return descriptions.map((d) => {
    const signer = signers[d.peer];
    if (!signer) throw new Error(`unknown peer ${d.peer}`);
    return { headers: signer(d) };
  });
}

module.exports = { sign };
