package providers

import (
	"context"
	"errors"
	"time"

	"github.com/aws/smithy-go"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/reqctx"
)

// pollInterval is how often a provider waiting for a resource looks at it,
// as CloudFormation's handlers do.
const pollInterval = time.Second

// callCtx is the context of a store call made on behalf of req: its region,
// account and a request ID that names the resource.
func callCtx(ctx context.Context, req *engine.Request) context.Context {
	return reqctx.With(ctx, req.Region, req.Account, "cfn-"+req.LogicalID)
}

// anyChanged reports whether one of keys differs between two property sets;
// the keys are those whose change the resource type's documentation marks
// "Replacement".
func anyChanged(oldProps, newProps map[string]any, keys ...string) bool {
	for _, k := range keys {
		if !engine.SameValue(oldProps[k], newProps[k]) {
			return true
		}
	}
	return false
}

// changedExcept reports whether anything but keys differs: for types whose
// every other property needs a replacement.
func changedExcept(oldProps, newProps map[string]any, keys ...string) bool {
	skip := map[string]bool{}
	for _, k := range keys {
		skip[k] = true
	}
	for k, v := range newProps {
		if !skip[k] && !engine.SameValue(oldProps[k], v) {
			return true
		}
	}
	for k := range oldProps {
		if _, ok := newProps[k]; !ok && !skip[k] {
			return true
		}
	}
	return false
}

// isCode reports whether err is an AWS error with one of codes: deletes
// treat "not found" as done.
func isCode(err error, codes ...string) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	for _, c := range codes {
		if ae.ErrorCode() == c {
			return true
		}
	}
	return false
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// str returns a property as a string ("" when absent or not a string).
func str(props map[string]any, key string) string {
	s, _ := props[key].(string)
	return s
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func ptr[T any](v T) *T { return &v }
