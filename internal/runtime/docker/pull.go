package docker

import (
	"context"
	"errors"
	"fmt"

	"github.com/distribution/reference"
	"github.com/moby/moby/client"
)

// EnsureImage makes image available locally. A present image costs one
// inspect. A missing one is pulled once however many tasks ask at the same
// time; every caller waits for that pull (or for its own ctx).
//
// The pull error reads well after the "CannotPullContainerError: " prefix
// the caller adds, in the words of the ECS agent, e.g.
//
//	pull image manifest has been retried 1 time(s): failed to resolve ref
//	docker.io/library/nope:latest: <what the engine said>
//
// (on one line). Errors reaching the engine at all wrap
// runtime.ErrEngineUnavailable instead.
func (r *Runtime) EnsureImage(ctx context.Context, image string) error {
	present, err := r.imagePresent(ctx, image)
	if err != nil || present {
		return err
	}
	return r.pulls.do(ctx, image, func(ctx context.Context) error {
		return r.pull(ctx, image)
	})
}

// pull runs one pull bounded by PullTimeout, and drains the progress stream
// because a failure after the HTTP 200 is reported only inside it.
func (r *Runtime) pull(ctx context.Context, image string) error {
	ctx, cancel := context.WithTimeout(ctx, r.opts.PullTimeout)
	defer cancel()
	if r.pullHook != nil {
		r.pullHook(image)
	}
	ref := normalizedRef(image)
	r.log.InfoContext(ctx, "pulling image", "op", "pull image", "image", ref)
	res, err := r.cli.ImagePull(ctx, image, client.ImagePullOptions{})
	if err == nil {
		err = drainStream(res)
		res.Close()
	}
	if err == nil {
		return nil
	}
	if isUnavailable(err) {
		return r.wrap("pull image", ref, err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("pull did not finish within %s", r.opts.PullTimeout)
	}
	return &pullError{ref: ref, err: err}
}

// pullError is a failed pull, worded like the ECS agent's message.
type pullError struct {
	ref string
	err error
}

func (e *pullError) Error() string {
	return fmt.Sprintf("pull image manifest has been retried 1 time(s): failed to resolve ref %s: %s", e.ref, oneLine(e.err.Error()))
}

func (e *pullError) Unwrap() error { return e.err }

// normalizedRef spells an image reference in full, as the ECS agent does
// in its messages: "nope" becomes "docker.io/library/nope:latest".
func normalizedRef(image string) string {
	named, err := reference.ParseNormalizedNamed(image)
	if err != nil {
		return image
	}
	return reference.TagNameOnly(named).String()
}
