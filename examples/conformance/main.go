// Command conformance puts one configurable signet scheme in front of a
// trivial handler, so that a black-box suite can drive it over plain HTTP.
// The contract it implements is CONFORMANCE.md, in this directory (a copy
// of the team's shared contract, kept equal by make vectors-check). The
// contract names four frameworks; this program serves seven:
//
//	go run ./examples/conformance -framework nethttp|gin|echo|echov5|fiber|fiberv3|fasthttp -addr 127.0.0.1:0 [-config FILE]
//
// It prints "listening http://HOST:PORT" once it accepts connections and
// exits on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil:
		fmt.Fprintln(os.Stderr, "conformance:", err)
		stop()
		os.Exit(1)
	}
}

// shutdownTimeout bounds how long a shutdown waits for requests in flight.
const shutdownTimeout = 5 * time.Second

// run parses args, serves until ctx is done, then shuts down gracefully. It
// writes the "listening" line to stdout.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("conformance", flag.ContinueOnError)
	names := strings.Join(slices.Sorted(maps.Keys(frameworks)), ", ")
	framework := flags.String("framework", "nethttp", "the web framework to serve with: "+names)
	addr := flags.String("addr", "127.0.0.1:0", "the address to listen on")
	configFile := flags.String("config", "", "a JSON config to start with (default: none, answer 503 until one is PUT)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	newServer, ok := frameworks[*framework]
	if !ok {
		return fmt.Errorf("framework %q is not supported yet (supported: %s)", *framework, names)
	}

	a := new(app)
	if *configFile != "" {
		data, err := os.ReadFile(*configFile)
		if err != nil {
			return err
		}
		if err := a.configure(data); err != nil {
			return fmt.Errorf("%s: %w", *configFile, err)
		}
	}
	srv := newServer(a)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "listening http://%s\n", ln.Addr())

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
