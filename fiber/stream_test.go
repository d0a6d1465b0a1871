package signetfiber_test

import (
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signetfiber "github.com/signet-go/signet/fiber"
)

// TestRejectedStreamHidesNoOther: a request rejected without its streamed
// body read is answered alone, the connection closed after it: a request
// hidden in the body is never served as the next one, as fasthttp before
// v1.78 would (signetfasthttp tests the other cases of Verify).
func TestRejectedStreamHidesNoOther(t *testing.T) {
	v, _ := sasigning(t, nil)
	app := fiber.New(fiber.Config{DisableStartupMessage: true, StreamRequestBody: true, BodyLimit: 1024})
	app.Get("/public", func(c *fiber.Ctx) error { return c.SendString("served /public") })
	app.Use(signetfiber.New(v), func(c *fiber.Ctx) error { return c.SendString("served protected") })
	base := serve(t, app)
	body := strings.Repeat("\r\n", 2000) + "GET /public HTTP/1.1\r\nHost: a\r\n\r\n" // over BodyLimit: streamed
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	got, _ := io.ReadAll(conn) // to the close
	assert.Equal(t, 1, strings.Count(string(got), "HTTP/1.1 "), "one answer, then the connection closes:\n%s", got)
	assert.NotContains(t, string(got), "served")
}
