#!/usr/bin/env node
'use strict';
// The Node side of signet's interoperability suite.
//
//   node harness.js sign < descriptions.json   prints the signed requests as JSON
//   node harness.js serve keys.json            serves the peer-protected apps
//
// See sign.js and serve.js. Secrets are read from the input, never printed
// except inside the signed requests.
const fs = require('fs');
const { sign } = require('./sign');
const { serve } = require('./serve');

function main([command, file]) {
  switch (command) {
    case 'sign':
      process.stdout.write(JSON.stringify(sign(JSON.parse(fs.readFileSync(0, 'utf8')))) + '\n');
      return;
    case 'serve':
      serve(JSON.parse(fs.readFileSync(file, 'utf8'))).catch((err) => {
        console.error(err);
        process.exit(1);
      });
      return;
    default:
      console.error('usage: node harness.js sign < descriptions.json | node harness.js serve keys.json');
      process.exit(2);
  }
}

main(process.argv.slice(2));
