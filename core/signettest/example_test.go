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

// The pysigned vectors come with their key table; each verify case says
// what URLAuth.verify answered, or which exception it raised.
func ExamplePysignedVectors() {
	vectors, keys, err := signettest.PysignedVectors()
	if err != nil {
		panic(err)
	}
	v := vectors[0]
	fmt.Println(len(vectors), v.ID, v.Sign.SigningKey, keys[v.Sign.SigningKey].Type, v.Sign.Exp)
	for _, c := range vectors[21].Verify {
		fmt.Println(vectors[21].ID, c.Keys, c.Expected.Valid, c.Expected.Raises)
	}
	// Output:
	// 28 hmac-basic hmac_a hmac 1700000600
	// non-ascii-sig [hmac_a] false TypeError
	// non-ascii-sig [ed_a_pub] false
}
