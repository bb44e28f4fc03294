//go:build unix

package dockertest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// lockBuild takes a machine-wide lock so that test binaries running at once
// (go test runs packages in parallel) build the image one after another: the
// first builds it, the others then hit the engine's build cache and produce
// the very same image instead of racing for the tag.
func lockBuild(ctx context.Context) (unlock func(), err error) {
	path := filepath.Join(os.TempDir(), "ecs-emulator-testapp-build.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, err
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
