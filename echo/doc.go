// Package signetecho verifies signed requests in echo v4 (for echo v5:
// github.com/signet-go/signet/echov5).
//
//	import signetecho "github.com/signet-go/signet/echo"
//
// New(verifier) returns an echo.MiddlewareFunc; Config.ToMiddleware builds
// one with echo's usual hooks (Skipper, BeforeFunc, SuccessHandler,
// ErrorHandler, ContinueOnIgnoredError) and reports a bad configuration as
// an error. A verified request reaches the handler with its *signet.Result
// in the echo.Context and on the request's context; read it with Result and
// Credentials. A rejected request returns an *echo.HTTPError whose Code is
// the error's status and whose Message and Internal are the *signet.Error
// (it marshals to the JSON body {"error": code, "message": …}), so the
// application's HTTPErrorHandler stays in charge of the answer:
// errors.As(err, &se) finds the *signet.Error (see ExampleHTTPError).
package signetecho
