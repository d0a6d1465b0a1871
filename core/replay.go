package signet

import (
	"context"
	"time"
)

// NonceStore remembers accepted requests for replay protection (see
// WithNonceStore). A store shared by every instance of a service (Redis, a
// database) protects all of them at once.
type NonceStore interface {
	// Record atomically records key until the given time and reports
	// whether it was new; false means the request was seen before. The
	// store may forget key after until. Record must be safe for concurrent
	// use.
	Record(ctx context.Context, key string, until time.Time) (fresh bool, err error)
}
