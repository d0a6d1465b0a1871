// Package signetecho verifies signed requests in echo v5 (for echo v4:
// github.com/signet-go/signet/echo, the same API over echo.Context).
//
//	import signetecho "github.com/signet-go/signet/echov5"
//
// New(verifier) returns an echo.MiddlewareFunc; Config.ToMiddleware builds
// one with echo's usual hooks (Skipper, BeforeFunc, SuccessHandler,
// ErrorHandler, ContinueOnIgnoredError) and reports a bad configuration as
// an error. A verified request reaches the handler with its *signet.Result
// in the *echo.Context and on the request's context; read it with Result
// and Credentials. A rejected request returns an error with the status
// (echo.HTTPStatusCoder) that marshals to the JSON body {"error": code,
// "message": …}, which echo's DefaultHTTPErrorHandler writes as it is, so
// the application's HTTPErrorHandler stays in charge of the answer:
// errors.As(err, &se) finds the *signet.Error (see ExampleHTTPError).
package signetecho
