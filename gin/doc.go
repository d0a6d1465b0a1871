// Package signetgin verifies signed requests in gin.
//
//	import signetgin "github.com/signet-go/signet/gin"
//
// New returns a gin.HandlerFunc. A verified request continues down the
// chain with its *signet.Result stored in the gin.Context under ResultKey
// and on c.Request.Context(); read it with Result and Credentials. A body the
// verifier read is also stored under gin.BodyBytesKey, so
// c.ShouldBindBodyWith does not read it twice. A rejected request is aborted
// with the status, the WWW-Authenticate challenge where the scheme defines
// one, X-Content-Type-Options: nosniff and the JSON body {"error": code,
// "message": …}, the error recorded in c.Errors (as a private error, for
// logging middlewares), unless an ErrorHandler answers instead.
package signetgin
