// Package signet verifies and produces signed HTTP requests, framework
// neutrally.
//
//	import signet "github.com/signet-go/signet/core"
//
// A scheme's verifier (NewSASigning, …) is built once from a KeyStore and
// options and then verifies a Request, the narrow view of an incoming
// request that FromHTTP gives for net/http and each adapter gives for its
// framework. Every verifier runs the same pipeline: parse the signature
// under size limits, look the key up, enforce policy before any
// cryptography, compare in constant time, check times, check the body, and
// only then record the request for replay protection. It answers a *Result
// (key id, credentials, what was covered) or an *Error that carries the HTTP
// status and a stable machine code.
//
// Start with a KeyStore (NewStaticKeys, or a KeyFunc over your own
// store), a scheme's verifier, and your framework's middleware: the
// middleware packages (signethttp, signetgin, signetecho, signetfiber,
// signetfasthttp) only translate between their framework and this package.
// Signers (NewSASigningSigner, …) and signethttp.Transport sign the
// requests a client sends.
//
// Each scheme's format, options, answers and deviations from its peers are
// documented in the repository:
//
//   - SASigning: https://github.com/signet-go/signet/blob/main/docs/schemes/sasigning.md
//   - Cavage HTTP Signatures: https://github.com/signet-go/signet/blob/main/docs/schemes/cavage.md
//   - Signway signed URLs: https://github.com/signet-go/signet/blob/main/docs/schemes/signway.md
//   - pysigned signed URLs: https://github.com/signet-go/signet/blob/main/docs/schemes/pysigned.md
//   - native signed URLs: https://github.com/signet-go/signet/blob/main/docs/schemes/signedurl.md
//   - the pipeline, key stores and results: https://github.com/signet-go/signet/blob/main/docs/architecture.md
//   - the middleware of each framework: https://github.com/signet-go/signet/blob/main/docs/adapters.md
//
// # For adapter authors
//
// Request, HeaderBlock, ReadBody, BufferedBody, BodyTooLarge, CheckVerifier,
// VerifyRequest, AsIntoVerifier, IntoVerifier, NewContext and CredentialsOf
// are the kit the middleware packages are built on; an application does
// not need them. docs/adapters.md ("Another framework") shows how they fit.
package signet
