package cloudformation

import (
	"context"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"

	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/template"
)

// maxBodyLength is the limit of an inline TemplateBody.
const maxBodyLength = 51200

// templateSource is where a request takes its template from.
type templateSource struct {
	body, url   *string
	usePrevious bool
}

// loadTemplate reads, parses and validates the template of a request;
// prev is the stack whose template UsePreviousTemplate means.
func (a *API) loadTemplate(ctx context.Context, st *store, src templateSource, prev *template.Template) (*template.Template, error) {
	n := 0
	for _, set := range []bool{src.body != nil, src.url != nil, src.usePrevious} {
		if set {
			n++
		}
	}
	switch {
	case n == 0:
		return nil, errValidation("Either Template URL or Template Body must be specified.")
	case n > 1:
		return nil, errValidation("Exactly one of TemplateBody, TemplateURL or UsePreviousTemplate must be specified.")
	case src.usePrevious:
		if prev == nil {
			return nil, errValidation("UsePreviousTemplate can only be used with an existing stack that has a template.")
		}
		return prev, nil
	}
	var body []byte
	if src.body != nil {
		if len(*src.body) > maxBodyLength {
			return nil, errValidation("1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to %d", maxBodyLength)
		}
		body = []byte(*src.body)
	} else {
		var err error
		if body, err = a.fetch(ctx, st.region, *src.url); err != nil {
			return nil, err
		}
	}
	t, err := template.Parse(body)
	if err != nil {
		return nil, err
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if len(t.Transform) > 0 {
		return nil, errValidation("Transform %s is not supported by this emulator", strings.Join(t.Transform, ", "))
	}
	return t, nil
}

// fetch reads a TemplateURL.
func (a *API) fetch(ctx context.Context, region, u string) ([]byte, error) {
	if a.opts.FetchTemplate == nil {
		return nil, errValidation("TemplateURL must be a supported URL.")
	}
	body, err := a.opts.FetchTemplate(ctx, region, u)
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) && ae.ErrorCode() == "ValidationError" {
			return nil, err
		}
		return nil, errValidation("TemplateURL must be a supported URL. (%s)", err.Error())
	}
	return body, nil
}

// prepared is a request's template with its parameters resolved and its
// capabilities and rules checked.
type prepared struct {
	cfg    *engine.Config
	values map[string]string
}

// prepare resolves a request's parameters against t (prev: the values in
// effect, for UsePreviousValue), checks the capabilities the template
// needs and its Rules.
func (a *API) prepare(st *store, s engine.Stack, t *template.Template, params []types.Parameter, prev map[string]string, caps []types.Capability, tags []types.Tag) (*prepared, error) {
	given, usePrev := map[string]string{}, map[string]bool{}
	for _, p := range params {
		key := deref(p.ParameterKey)
		if deref(p.UsePreviousValue) {
			if prev == nil {
				return nil, errValidation("Invalid input for parameter key %s. Cannot specify usePreviousValue as true for a parameter key not in the previous template", key)
			}
			usePrev[key] = true
			continue
		}
		given[key] = deref(p.ParameterValue)
	}
	ssm := func(name string) (string, error) {
		if a.opts.SSMParameter == nil {
			return "", errValidation("Unable to fetch parameters [%s] from parameter store for this account.", name)
		}
		return a.opts.SSMParameter(st.region, name)
	}
	resolved, err := t.ResolveParameters(given, usePrev, prev, ssm)
	if err != nil {
		return nil, err
	}
	if err := checkCapabilities(t, caps); err != nil {
		return nil, err
	}
	ctx := &template.Context{Params: resolved, Template: t, Pseudo: template.Pseudo{
		AccountID: s.Account, Region: s.Region, Partition: s.Partition, StackName: s.Name, StackID: s.ID}}
	if err := t.CheckRules(ctx); err != nil {
		return nil, err
	}
	values := map[string]string{}
	for _, name := range t.ParameterOrder {
		switch {
		case usePrev[name]:
			values[name] = prev[name]
		default:
			if v, ok := given[name]; ok {
				values[name] = v
			} else if p := t.Parameters[name]; p.HasDefault {
				values[name] = p.Default
			}
		}
	}
	return &prepared{cfg: &engine.Config{Template: t, Params: resolved, Tags: tagMap(tags)}, values: values}, nil
}

// checkCapabilities refuses a template that needs capabilities the
// request did not acknowledge. CAPABILITY_NAMED_IAM covers CAPABILITY_IAM.
func checkCapabilities(t *template.Template, caps []types.Capability) error {
	have := map[string]bool{}
	for _, c := range caps {
		have[string(c)] = true
	}
	var missing []string
	for _, c := range template.Summary(t).Capabilities {
		if have[c] || c == "CAPABILITY_IAM" && have["CAPABILITY_NAMED_IAM"] {
			continue
		}
		missing = append(missing, c)
	}
	if len(missing) > 0 {
		return errCapabilities(missing)
	}
	return nil
}

// tagMap is the stack's tags as the engine passes them to providers.
func tagMap(tags []types.Tag) map[string]string {
	m := map[string]string{}
	for _, t := range tags {
		m[deref(t.Key)] = deref(t.Value)
	}
	return m
}

// sameConfig reports whether an update would change nothing: no resource
// change, the same parameter values, tags and outputs.
func sameConfig(cur *engine.Deployed, next *engine.Config, changes []engine.Change) bool {
	if len(changes) > 0 || cur == nil || cur.Template == nil {
		return false
	}
	if !maps.EqualFunc(cur.Params, next.Params, func(x, y any) bool { return paramText(x) == paramText(y) }) {
		return false
	}
	if !maps.Equal(cur.Tags, next.Tags) {
		return false
	}
	return sameOutputs(cur.Template, next.Template)
}

// paramText compares parameter values (string or []string).
func paramText(v any) string {
	if l, ok := v.([]string); ok {
		return strings.Join(l, "\x00")
	}
	s, _ := v.(string)
	return s
}

// sameOutputs compares the Outputs sections as declared.
func sameOutputs(a, b *template.Template) bool {
	if !slices.Equal(a.OutputOrder, b.OutputOrder) {
		return false
	}
	for _, k := range a.OutputOrder {
		if !equalAny(a.Outputs[k], b.Outputs[k]) {
			return false
		}
	}
	return true
}

// equalAny is deep equality of parsed template values.
func equalAny(x, y any) bool { return reflect.DeepEqual(x, y) }
