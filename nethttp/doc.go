// Package signethttp verifies signed requests in net/http servers and signs
// requests made with net/http clients.
//
//	import signethttp "github.com/signet-go/signet/nethttp"
//
// New returns middleware of the func(http.Handler) http.Handler shape that
// chi, gorilla and the standard library compose; the verified caller's
// credentials reach the handler through Credentials and Result. Transport
// signs outgoing requests without modifying the caller's request.
package signethttp
