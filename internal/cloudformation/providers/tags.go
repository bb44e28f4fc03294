package providers

import (
	"sort"
	"strings"

	"github.com/localaws/ecsemu/internal/cloudformation/engine"
)

// stackTags are the stack-level tags CloudFormation propagates to a
// resource, sorted by key. The aws:cloudformation:* tags are left out:
// these emulated APIs, like AWS's own, refuse user tags in the aws:
// namespace, and CloudFormation's privileged path is not emulated.
func stackTags[T any](req *engine.Request, explicit []T, keyOf func(T) string, mk func(k, v string) T) []T {
	have := map[string]bool{}
	for _, t := range explicit {
		have[keyOf(t)] = true
	}
	keys := make([]string, 0, len(req.Tags))
	for k := range req.Tags {
		if !strings.HasPrefix(strings.ToLower(k), "aws:") && !have[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := explicit
	for _, k := range keys {
		out = append(out, mk(k, req.Tags[k]))
	}
	return out
}
