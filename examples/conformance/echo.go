package main

import (
	"net/http"

	echov4 "github.com/labstack/echo/v4"

	signetecho "github.com/signet-go/signet/echo"
)

func init() { frameworks["echo"] = newEchoServer }

// newEchoServer serves the app with echo and signetecho: rejections are
// answered by echo's own HTTPErrorHandler. The handler is echo's
// route-not-found handler for every path, and no other route is registered:
// any method reaches it, where e.Any covers only echo's own list and echo
// answers 405 for the others.
func newEchoServer(a *app) server {
	e := echov4.New()
	e.HideBanner, e.HidePort = true, true
	e.Pre(func(next echov4.HandlerFunc) echov4.HandlerFunc {
		return func(c echov4.Context) error {
			if c.Request().URL.Path == "" { // "GET http://host?q": route it; signet reads the raw target
				c.Request().URL.Path = "/"
			}
			return next(c)
		}
	})
	e.Use(signetecho.New(a))
	e.RouteNotFound("/*", func(c echov4.Context) error {
		body, e := readEchoedBody(c.Response(), c.Request())
		if e != nil {
			return signetecho.HTTPError(c, e)
		}
		res, _ := signetecho.Result(c)
		return c.JSON(http.StatusOK, newEcho(res, c.Request().Method, c.Request().RequestURI, body))
	})
	return newHTTPServer(a.handler(e))
}
