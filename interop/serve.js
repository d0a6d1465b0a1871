'use strict';
// Serves two Express apps on 127.0.0.1, each protected by one real peer:
// api-signature's middleware, and http-signature's parseRequest with a
// Digest check added. Each answers 200 {"ok": true, "key_id": …} or the
// peer's own 4xx as {"status", "error", "message"}.
const express = require('express');
const apiSignature = require('api-signature');
const HttpSignature = require('http-signature');
const { checkDigest } = require('./digest');

// Rejection is an error with the status the peer gives it.
class Rejection extends Error {
  constructor(status, name, message) {
    super(message);
    this.status = status;
    this.name = name;
  }
}

// answer ends every app: 200 for a verified request, the error's status
// otherwise (api-signature throws; Express 5 routes the rejection here).
function answer(app) {
  app.all('/{*any}', (req, res) => res.json({ ok: true, key_id: req.keyId }));
  app.use((err, req, res, next) => {
    const status = err.status || 500;
    res.status(status).json({ status, error: err.name, message: err.message });
  });
  return app;
}

// apiSignatureApp is api-signature 0.2.11 with its defaults, getSecret
// answering the HMAC keys.
function apiSignatureApp(keys) {
  const app = express();
  app.use(apiSignature({
    requestProperty: 'credentials',
    getSecret: async (keyId, done) => {
      const key = keys.get(keyId);
      if (!key || key.secret === undefined) return done(new Error('Unknown api key'));
      return done(null, key.secret, { key_id: keyId });
    },
  }));
  app.use((req, res, next) => { req.keyId = req.credentials.key_id; next(); });
  return answer(app);
}

// httpSignatureApp is http-signature 1.4.0's parseRequest with its
// defaults; the verifier is chosen by the registered key type, never by
// the request's algorithm. Digest: a body must come with a signed Digest
// that matches it.
function httpSignatureApp(keys) {
  const app = express();
  app.use(express.raw({ type: () => true, limit: '1mb' }));
  app.use((req, res, next) => {
    let parsed;
    try {
      parsed = HttpSignature.parseRequest(req);
    } catch (err) {
      throw new Rejection(401, err.name, err.message);
    }
    const key = keys.get(parsed.keyId);
    if (!key) throw new Rejection(401, 'UnknownKeyError', 'unknown keyId');
    const ok = key.secret !== undefined
      ? HttpSignature.verifyHMAC(parsed, key.secret)
      : HttpSignature.verifySignature(parsed, key.public_key_pem);
    if (!ok) throw new Rejection(401, 'BadSignatureError', 'bad signature');
    checkBody(req, parsed);
    req.keyId = parsed.keyId;
    next();
  });
  return answer(app);
}

// checkBody is the Digest check http-signature lacks.
function checkBody(req, parsed) {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const digest = req.headers.digest;
  if (body.length > 0 && (digest === undefined || !parsed.params.headers.includes('digest'))) {
    throw new Rejection(400, 'MissingDigestError', 'a body needs a signed Digest');
  }
  const reason = digest === undefined ? null : checkDigest(digest, body);
  if (reason) throw new Rejection(400, 'DigestMismatchError', reason);
}

// listen serves app on 127.0.0.1 at a free port and resolves to its URL.
function listen(app) {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (err) => {
      if (err) return reject(err);
      resolve(`http://127.0.0.1:${server.address().port}`);
    });
  });
}

// serve starts both apps for keys ([{id, secret} | {id, public_key_pem}])
// and prints "listening PEER URL" for each.
async function serve(keyList) {
  const keys = new Map(keyList.map((k) => [k.id, k]));
  const apps = { 'api-signature': apiSignatureApp(keys), 'http-signature': httpSignatureApp(keys) };
  for (const [peer, app] of Object.entries(apps)) {
    console.log(`listening ${peer} ${await listen(app)}`);
  }
}

module.exports = { serve };
