package signet

import "time"

// WallClock returns the current time as the system's wall clock reads it:
// the clock every verifier, signer and MemoryNonceStore reads unless given
// another (WithClock, MemoryNonceStore.Now).
//
// A signature's times are wall-clock times, so a check needs nothing more.
// time.Now also reads the monotonic clock, for measuring durations, and on
// linux/amd64 that second read is half its cost (≈ 28 of 56 ns on the
// benchmark VM): WallClock reads only the wall clock there, through the same
// vDSO entry time.Now uses, to the microsecond. Elsewhere it is time.Now.
// The Time it returns carries no monotonic reading: compare it with
// Before, After and Equal, as any time taken from a request.
func WallClock() time.Time { return wallClock() }
