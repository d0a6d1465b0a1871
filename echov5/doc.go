// Package signetecho verifies signed requests in echo v5 (for echo v4:
// github.com/signet-go/signet/echo, the same API over echo.Context, but
// for HTTPError's error: an *echo.HTTPError in v4, an echo.HTTPStatusCoder
// here; errors.As finds the *signet.Error in both).
//
//	import signetecho "github.com/signet-go/signet/echov5"
//
// New(verifier) returns an echo.MiddlewareFunc; Config.ToMiddleware builds
// one with echo's usual hooks (Skipper, BeforeFunc, SuccessHandler,
// ErrorHandler, ContinueOnIgnoredError) and reports a bad configuration as
// an error. A verified request reaches the handler with its *signet.Result
// in the *echo.Context and on the request's context; read it with Result
// and Credentials. A rejected request returns an error that carries the
// status (it implements echo.HTTPStatusCoder) and marshals to the JSON body
// {"error": code, "message": …}; echo's DefaultHTTPErrorHandler writes that
// body unchanged, so the application's HTTPErrorHandler stays in charge of
// the answer:
// errors.As(err, &se) finds the *signet.Error (see ExampleHTTPError).
package signetecho
