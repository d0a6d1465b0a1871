package signettest_test

import (
	"fmt"

	"github.com/signet-go/signet/core/signettest"
)

// The vectors come decoded, with the file's defaults applied.
func ExampleSASigningVectors() {
	vectors, err := signettest.SASigningVectors()
	if err != nil {
		panic(err)
	}
	v := vectors[0]
	fmt.Println(len(vectors), v.ID, *v.Message, *v.ExpectedSignature)
	// Output: 20 upstream-test-vector /$GET$secret-key k7NyXcBOEdj5OJ+ERMBBLap7FWY9Jjo2P2rmh7RKeMs=
}
