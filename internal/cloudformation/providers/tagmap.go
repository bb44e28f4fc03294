package providers

import (
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// cfnTag is one entry of CloudFormation's Tags list, [{Key, Value}].
type cfnTag struct {
	Key   string
	Value string
}

// tagMap is a resource's Tags list plus the stack's tags, as the map the
// Logs and S3 in-process calls take (nil when there are none).
func tagMap(req *engine.Request, p map[string]any) (map[string]string, error) {
	var w struct{ Tags []cfnTag }
	if v, ok := p["Tags"]; ok && v != nil {
		if err := props.Decode(map[string]any{"Tags": v}, &w); err != nil {
			return nil, err
		}
	}
	all := stackTags(req, w.Tags, func(t cfnTag) string { return t.Key }, func(k, v string) cfnTag { return cfnTag{k, v} })
	if len(all) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(all))
	for _, t := range all {
		out[t.Key] = t.Value
	}
	return out, nil
}

// without returns the keys of from that to lacks.
func without(from, to map[string]string) []string {
	var out []string
	for _, k := range sortedKeys(from) {
		if _, ok := to[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}
