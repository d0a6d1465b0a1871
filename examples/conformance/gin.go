package main

import (
	"net/http"

	"github.com/gin-gonic/gin"

	signetgin "github.com/signet-go/signet/gin"
)

func init() { frameworks["gin"] = newGinServer }

// newGinServer serves the app with gin and signetgin. Every path reaches
// the catch-all handler as received: gin redirects nothing when no route
// is registered, and the redirects are off regardless.
func newGinServer(a *app) server {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.RedirectTrailingSlash, r.RedirectFixedPath = false, false
	r.Use(signetgin.New(a))
	r.NoRoute(func(c *gin.Context) {
		body, e := readEchoedBody(c.Writer, c.Request)
		if e != nil {
			signetgin.WriteError(c, e)
			return
		}
		res, _ := signetgin.Result(c)
		c.JSON(http.StatusOK, newEcho(res, c.Request.Method, c.Request.RequestURI, body))
	})
	return newHTTPServer(a.handler(r))
}
