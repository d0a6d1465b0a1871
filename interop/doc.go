// Package interop is signet's interoperability suite against the real npm
// peers, api-signature 0.2.11 and http-signature 1.4.0, run by make interop.
//
// Its tests carry the interop build tag, as they need Node and the
// packages npm ci installs here, and the conformance server
// (examples/conformance) of every framework:
//
//	cd interop && npm ci && go test -tags interop -count=1 ./...
//
// They check three directions: requests the peers sign, sent to signet;
// requests signethttp.Transport signs, sent to servers the peers protect;
// and the shared vectors, replayed over HTTP. The matrix they observe goes
// into docs/compatibility.md.
package interop
