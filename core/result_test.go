package signet_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

type ctxKey struct{}

func TestContextAccessors(t *testing.T) {
	parent := context.WithValue(context.Background(), ctxKey{}, "parent value")
	v := newVerifier(t)
	res, err := v.Verify(parent, signet.FromHTTP(signedRequest(t, "GET", "/x", "")))
	require.NoError(t, err)

	ctx := signet.NewContext(parent, res)
	got, ok := signet.ResultFrom(ctx)
	assert.True(t, ok)
	assert.Same(t, res, got)
	assert.Equal(t, "parent value", ctx.Value(ctxKey{}), "the parent's values stay visible")
	assert.Zero(t, testing.AllocsPerRun(10, func() { signet.NewContext(parent, res) }),
		"the context Verify allocated with the Result is reused")

	// Another parent, or a copy of the Result, gets a context of its own.
	other := signet.NewContext(context.Background(), res)
	got, _ = signet.ResultFrom(other)
	assert.Same(t, res, got)
	assert.Nil(t, other.Value(ctxKey{}))
	copied := *res
	copied.KeyID = "changed"
	got, _ = signet.ResultFrom(signet.NewContext(parent, &copied))
	assert.Equal(t, "changed", got.KeyID)

	type creds struct{ Name string }
	ctx = signet.NewContext(context.Background(), &signet.Result{Credentials: creds{"ada"}})
	c, ok := signet.CredentialsFrom[creds](ctx)
	assert.True(t, ok)
	assert.Equal(t, "ada", c.Name)
	_, ok = signet.CredentialsFrom[string](ctx)
	assert.False(t, ok, "credentials of another type")
	_, ok = signet.ResultFrom(context.Background())
	assert.False(t, ok)
}

func TestCredentialsOf(t *testing.T) {
	_, ok := signet.CredentialsOf[string](nil)
	assert.False(t, ok, "no Result")
	c, ok := signet.CredentialsOf[string](&signet.Result{Credentials: "ada"})
	assert.True(t, ok)
	assert.Equal(t, "ada", c)
	_, ok = signet.CredentialsOf[int](&signet.Result{Credentials: "ada"})
	assert.False(t, ok, "another type")
	named, ok := signet.CredentialsOf[fmt.Stringer](&signet.Result{Credentials: tenant{"acme"}})
	assert.True(t, ok, "an interface the stored type implements")
	assert.Equal(t, "tenant acme", named.String())
	_, ok = signet.CredentialsOf[fmt.Stringer](&signet.Result{Credentials: "ada"})
	assert.False(t, ok, "an interface the stored type does not implement")
}

// tenant is credentials asked for through an interface.
type tenant struct{ name string }

func (t tenant) String() string { return "tenant " + t.name }
