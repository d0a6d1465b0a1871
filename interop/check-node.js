'use strict';
// Exits 1, with a clear message, when this Node is older than the major
// version package.json's engines asks for (">=N"); make interop runs it
// first, as older Node fails later with obscure errors (Express 5 needs 18).
// Plain ES5, so that an old Node can run it.
var wanted = require('./package.json').engines.node;
var min = /^>=(\d+)$/.exec(wanted);
if (!min) {
  console.error('interop: engines.node in package.json is ' + JSON.stringify(wanted) + ', not ">=N"');
  process.exit(1);
}
if (+process.versions.node.split('.')[0] < +min[1]) {
  console.error('interop: Node ' + process.version + ' is too old: interop/package.json needs ' + wanted);
  process.exit(1);
}
