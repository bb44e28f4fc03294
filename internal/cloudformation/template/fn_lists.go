package template

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
)

const joinArgsError = "Template error: every Fn::Join object requires two parameters, (1) a string delimiter and " +
	"(2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined."

// fnJoin resolves Fn::Join [delimiter, [values]].
func (e *evaluator) fnJoin(arg any) (any, error) {
	args, ok := arg.([]any)
	if !ok || len(args) != 2 {
		return nil, errorf(joinArgsError)
	}
	delim, ok, err := e.evalText(args[0])
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorf(joinArgsError)
	}
	values, ok, err := e.evalList(args[1])
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorf(joinArgsError)
	}
	parts := make([]string, len(values))
	for i, v := range values {
		s, ok := text(v)
		if !ok {
			return nil, errorf(joinArgsError)
		}
		parts[i] = s
	}
	return strings.Join(parts, delim), nil
}

// fnSelect resolves Fn::Select [index, list].
func (e *evaluator) fnSelect(arg any) (any, error) {
	bad := errorf("Template error: Fn::Select requires a list argument with two elements: an integer index and a list")
	args, ok := arg.([]any)
	if !ok || len(args) != 2 {
		return nil, bad
	}
	is, ok, err := e.evalText(args[0])
	if err != nil {
		return nil, err
	}
	index, convErr := strconv.Atoi(is)
	if !ok || convErr != nil {
		return nil, bad
	}
	values, ok, err := e.evalList(args[1])
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, bad
	}
	if index < 0 || index >= len(values) {
		return nil, errorf("Template error: Fn::Select cannot select nonexistent value at index %d", index)
	}
	return values[index], nil
}

// fnSplit resolves Fn::Split [delimiter, text].
func (e *evaluator) fnSplit(arg any) (any, error) {
	bad := errorf("Template error: every Fn::Split object requires two parameters, (1) a string delimiter and " +
		"(2) a string to be split or a function that returns a string to be split.")
	args, ok := arg.([]any)
	if !ok || len(args) != 2 {
		return nil, bad
	}
	delim, ok, err := e.evalText(args[0])
	if err != nil {
		return nil, err
	}
	if !ok || delim == "" {
		return nil, bad
	}
	s, ok, err := e.evalText(args[1])
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, bad
	}
	parts := strings.Split(s, delim)
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

// fnFindInMap resolves Fn::FindInMap [map, top key, second key] and the
// LanguageExtensions form with a fourth {DefaultValue: v}.
func (e *evaluator) fnFindInMap(arg any) (any, error) {
	bad := errorf("Template error: every Fn::FindInMap object requires three parameters, the map name, map key and the attribute for return value")
	args, ok := arg.([]any)
	if !ok || len(args) < 3 || len(args) > 4 {
		return nil, bad
	}
	keys := make([]string, 3)
	for i := range keys {
		s, ok, err := e.evalText(args[i])
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, bad
		}
		keys[i] = s
	}
	var def any
	hasDefault := false
	if len(args) == 4 {
		opts, ok := args[3].(map[string]any)
		if !ok {
			return nil, bad
		}
		def, hasDefault = opts["DefaultValue"]
		if !hasDefault {
			return nil, bad
		}
	}
	v, found := e.mapping(keys)
	if found {
		return deepCopy(v), nil
	}
	if hasDefault {
		return e.eval(def)
	}
	if _, ok := e.mappings()[keys[0]]; !ok {
		return nil, errorf("Template error: Mapping named '%s' is not present in the 'Mappings' section of template.", keys[0])
	}
	return nil, errorf("Template error: Unable to get mapping for %s::%s::%s", keys[0], keys[1], keys[2])
}

func (e *evaluator) mappings() map[string]any {
	if e.ctx.Template == nil {
		return nil
	}
	return e.ctx.Template.Mappings
}

func (e *evaluator) mapping(keys []string) (any, bool) {
	top, ok := e.mappings()[keys[0]].(map[string]any)
	if !ok {
		return nil, false
	}
	second, ok := top[keys[1]].(map[string]any)
	if !ok {
		return nil, false
	}
	v, ok := second[keys[2]]
	return v, ok
}

// fnBase64 resolves Fn::Base64 text.
func (e *evaluator) fnBase64(arg any) (any, error) {
	s, ok, err := e.evalText(arg)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorf("Template error: every Fn::Base64 object must have a single String value")
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

// fnGetAZs resolves Fn::GetAZs region; "" is the stack's region.
func (e *evaluator) fnGetAZs(arg any) (any, error) {
	region, ok, err := e.evalText(arg)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorf("Template error: Fn::GetAZs requires a string parameter (a region name or an empty string)")
	}
	if region == "" {
		region = e.ctx.Pseudo.Region
	}
	if e.ctx.Resolver == nil {
		return nil, errorf("Template error: Fn::GetAZs cannot be evaluated here")
	}
	zones := e.ctx.Resolver.AZs(region)
	out := make([]any, len(zones))
	for i, z := range zones {
		out[i] = z
	}
	return out, nil
}

// fnImportValue resolves Fn::ImportValue exportName through the resolver.
func (e *evaluator) fnImportValue(arg any) (any, error) {
	name, ok, err := e.evalText(arg)
	if err != nil {
		return nil, err
	}
	if !ok || name == "" {
		return nil, errorf("Template error: every Fn::ImportValue object must have a single String value")
	}
	if e.ctx.Resolver == nil {
		return nil, errorf("No export named %s found", name)
	}
	return e.ctx.Resolver.ImportValue(name)
}

// fnLength resolves Fn::Length list (LanguageExtensions).
func (e *evaluator) fnLength(arg any) (any, error) {
	l, ok, err := e.evalList(arg)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errorf("Template error: Fn::Length requires a list or a function that returns a list")
	}
	return len(l), nil
}

// fnToJSONString resolves Fn::ToJsonString object-or-list
// (LanguageExtensions). Keys come out sorted.
func (e *evaluator) fnToJSONString(arg any) (any, error) {
	v, err := e.eval(arg)
	if err != nil {
		return nil, err
	}
	switch v.(type) {
	case map[string]any, []any:
	default:
		return nil, errorf("Template error: Fn::ToJsonString requires an object or a list")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, errorf("Template error: Fn::ToJsonString cannot encode its argument")
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}
