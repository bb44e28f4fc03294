//go:build !unix

package dockertest

import "context"

// lockBuild is a no-op where flock is unavailable; concurrent builds of the
// same content are still correct, merely wasteful.
func lockBuild(context.Context) (func(), error) { return func() {}, nil }
