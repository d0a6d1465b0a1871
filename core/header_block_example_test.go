package signet_test

import (
	"fmt"

	signet "github.com/signet-go/signet/core"
)

// Reading a fasthttp request's header fields as net/http would: all of a
// repeated field, a folded value joined as textproto joins it, and what a
// server must refuse before verifying.
func ExampleHeaderBlock() {
	var b signet.HeaderBlock // kept in a pooled request view, with its scratch space
	b.Reset([]byte("Host: api.example\r\nAccept: a\r\nX-Note: one\r\n  two\r\naccept: b\r\n\r\n"))
	fmt.Println(b.AppendValues(nil, "Accept"), b.AppendValues(nil, "X-Note"))
	fmt.Println(b.Folded(), b.RepeatedHost(), b.Refusal(true) == nil)

	b.Reset([]byte("Host: a.example\r\nHost: b.example\r\n\r\n"))
	fmt.Println(b.Refusal(true).Code())
	// Output:
	// [a b] [one two]
	// true false true
	// malformed_signature
}
