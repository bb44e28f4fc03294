package engine

import (
	"fmt"
	"sort"
)

// resolver answers Ref and Fn::GetAtt from the run's resources as they
// are now, and Fn::ImportValue from the other stacks' exports.
type resolver struct{ r *run }

func (v resolver) Ref(logicalID string) (string, bool) {
	rec := v.r.resource(logicalID)
	if rec == nil || rec.PhysicalID == "" {
		return "", false
	}
	return rec.RefValue(), true
}

func (v resolver) GetAtt(logicalID, attribute string) (any, error) {
	rec := v.r.resource(logicalID)
	if rec == nil || rec.PhysicalID == "" {
		return nil, &Failure{Message: fmt.Sprintf("Template error: resource %s does not exist yet for Fn::GetAtt", logicalID)}
	}
	if val, ok := rec.Attributes[attribute]; ok {
		return val, nil
	}
	return nil, &Failure{Message: fmt.Sprintf("Template error: resource %s does not support attribute type %s in Fn::GetAtt", logicalID, attribute)}
}

func (v resolver) ImportValue(name string) (string, error) {
	val, err := v.r.op.Sink.ImportValue(name)
	if err != nil {
		return "", err
	}
	v.r.mu.Lock()
	v.r.imports[name] = true
	v.r.mu.Unlock()
	return val, nil
}

func (v resolver) AZs(region string) []string {
	if region == "" {
		region = v.r.op.Stack.Region
	}
	return v.r.e.azs(region)
}

// outputs evaluates the Outputs section and the exports among them.
func (r *run) outputs(cfg *Config, conds map[string]bool) ([]Output, map[string]string, error) {
	ctx := r.evalContext(cfg, conds)
	var outs []Output
	exports := map[string]string{}
	t := cfg.Template
	for _, name := range t.OutputOrder {
		o := t.Outputs[name]
		if o.Condition != "" && !conds[o.Condition] {
			continue
		}
		val, err := evalText(o.Value, ctx)
		if err != nil {
			return nil, nil, err
		}
		out := Output{Key: name, Value: val, Description: o.Description}
		if o.ExportName != nil {
			exp, err := evalText(o.ExportName, ctx)
			if err != nil {
				return nil, nil, err
			}
			out.ExportName = exp
			exports[exp] = val
		}
		outs = append(outs, out)
	}
	return outs, exports, nil
}

// failedList is AWS's "[A, B]" of logical IDs, sorted as AWS shows them.
func failedList(ids []string) string {
	s := append([]string(nil), ids...)
	sort.Strings(s)
	out := "["
	for i, id := range s {
		if i > 0 {
			out += ", "
		}
		out += id
	}
	return out + "]"
}
