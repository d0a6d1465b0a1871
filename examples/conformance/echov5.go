package main

import (
	"net/http"

	echov5 "github.com/labstack/echo/v5"

	signetecho "github.com/signet-go/signet/echov5"
)

func init() { frameworks["echov5"] = newEchoV5Server }

// newEchoV5Server serves the app with echo v5 and its signetecho, as
// newEchoServer does with echo v4: rejections are answered by echo's own
// HTTPErrorHandler, and the handler is echo's route-not-found handler for
// every path (echo v5's e.Any would match every method too).
func newEchoV5Server(a *app) server {
	e := echov5.New()
	e.Pre(func(next echov5.HandlerFunc) echov5.HandlerFunc {
		return func(c *echov5.Context) error {
			if c.Request().URL.Path == "" { // "GET http://host?q": route it; signet reads the raw target
				c.Request().URL.Path = "/"
			}
			return next(c)
		}
	})
	e.Use(signetecho.New(a))
	e.RouteNotFound("/*", func(c *echov5.Context) error {
		body, e := readEchoedBody(c.Response(), c.Request())
		if e != nil {
			return signetecho.HTTPError(c, e)
		}
		res, _ := signetecho.Result(c)
		return c.JSON(http.StatusOK, newEcho(res, c.Request().Method, c.Request().RequestURI, body))
	})
	return newHTTPServer(a.handler(e))
}
