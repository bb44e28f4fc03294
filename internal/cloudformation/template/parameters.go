package template

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// ResolveParameters checks the given values against the declarations and
// returns every parameter's value: a string, or []string for list types.
// usePrevious[name] takes the value from previous (the stack's current
// values). AWS::SSM::Parameter::Value<…> parameters are resolved through
// ssm, which returns the parameter's value or an error.
func (t *Template) ResolveParameters(given map[string]string, usePrevious map[string]bool, previous map[string]string,
	ssm func(name string) (string, error)) (map[string]any, error) {
	if err := t.unknownParameters(given, usePrevious); err != nil {
		return nil, err
	}
	out := make(map[string]any, len(t.Parameters))
	var missing []string
	for _, name := range t.ParameterOrder {
		p := t.Parameters[name]
		raw, ok, err := p.rawValue(given, usePrevious, previous)
		if err != nil {
			return nil, err
		}
		if !ok {
			missing = append(missing, name)
			continue
		}
		v, err := p.resolve(raw, ssm)
		if err != nil {
			return nil, err
		}
		out[name] = v
	}
	if len(missing) > 0 {
		return nil, errorf("Parameters: [%s] must have values", strings.Join(missing, ", "))
	}
	return out, nil
}

func (t *Template) unknownParameters(given map[string]string, usePrevious map[string]bool) error {
	var unknown []string
	seen := map[string]bool{}
	for _, m := range []map[string]bool{keys(given), usePrevious} {
		for name := range m {
			if _, ok := t.Parameters[name]; !ok && !seen[name] {
				seen[name] = true
				unknown = append(unknown, name)
			}
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return errorf("Parameters: [%s] do not exist in the template", strings.Join(unknown, ", "))
}

func keys(m map[string]string) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// rawValue picks the text the parameter gets: given, previous or default.
func (p *Parameter) rawValue(given map[string]string, usePrevious map[string]bool, previous map[string]string) (string, bool, error) {
	if usePrevious[p.Name] {
		v, ok := previous[p.Name]
		if !ok {
			return "", false, errorf("Invalid input for parameter key %s. Cannot specify usePreviousValue as true for a parameter key not in the previous template", p.Name)
		}
		return v, true, nil
	}
	if v, ok := given[p.Name]; ok {
		return v, true, nil
	}
	if p.HasDefault {
		return p.Default, true, nil
	}
	return "", false, nil
}

// resolve turns the raw text into the parameter's value and checks it.
func (p *Parameter) resolve(raw string, ssm func(string) (string, error)) (any, error) {
	typ := p.Type
	if inner, ok := ssmValueType(typ); ok {
		if err := p.check(raw, false); err != nil { // constraints apply to the name
			return nil, err
		}
		if ssm == nil {
			return nil, errorf("Unable to fetch parameters [%s] from parameter store for this account.", raw)
		}
		v, err := ssm(raw)
		if err != nil {
			return nil, err
		}
		if isListType(inner) {
			return splitList(v), nil
		}
		return v, nil
	}
	if !isListType(typ) {
		if typ == "Number" && !isNumber(raw) {
			return nil, errorf("Parameter '%s' must be a number.", p.Name)
		}
		return raw, p.check(raw, typ == "Number")
	}
	values := splitList(raw)
	for _, v := range values {
		if typ == "List<Number>" && !isNumber(v) {
			return nil, errorf("Parameter '%s' must be a number.", p.Name)
		}
		if err := p.check(v, typ == "List<Number>"); err != nil {
			return nil, err
		}
	}
	return values, nil
}

// splitList splits a comma-delimited value, trimming spaces around members
// as CloudFormation does. An empty value is an empty list.
func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	parts := strings.Split(s, ",")
	for i, part := range parts {
		parts[i] = strings.TrimSpace(part)
	}
	return parts
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return err == nil
}

// check applies AllowedValues, AllowedPattern, the lengths and the bounds.
func (p *Parameter) check(v string, numeric bool) error {
	if len(p.AllowedValues) > 0 && !contains(textList(p.AllowedValues), v) {
		return errorf("Parameter '%s' must be one of AllowedValues", p.Name)
	}
	if err := p.checkPattern(v); err != nil {
		return err
	}
	n := len([]rune(v))
	if p.MinLength != nil && n < *p.MinLength {
		return p.constraint("Parameter '%s' must contain at least %d characters", p.Name, *p.MinLength)
	}
	if p.MaxLength != nil && n > *p.MaxLength {
		return p.constraint("Parameter '%s' must contain at most %d characters", p.Name, *p.MaxLength)
	}
	if !numeric {
		return nil
	}
	f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if p.MinValue != nil && f < *p.MinValue {
		return p.constraint("Parameter '%s' must be a number not less than %s", p.Name, formatNumber(*p.MinValue))
	}
	if p.MaxValue != nil && f > *p.MaxValue {
		return p.constraint("Parameter '%s' must be a number not greater than %s", p.Name, formatNumber(*p.MaxValue))
	}
	return nil
}

// checkPattern matches the whole value, as Java's Pattern.matches does.
func (p *Parameter) checkPattern(v string) error {
	if p.AllowedPattern == "" {
		return nil
	}
	re, err := regexp.Compile(`^(?:` + p.AllowedPattern + `)$`)
	if err != nil {
		return errorf("Template format error: Parameter '%s' AllowedPattern %s is not a valid regular expression", p.Name, p.AllowedPattern)
	}
	if !re.MatchString(v) {
		return p.constraint("Parameter '%s' must match pattern %s", p.Name, p.AllowedPattern)
	}
	return nil
}

// constraint is the failure message: the template's ConstraintDescription
// when it has one, else AWS's default wording.
func (p *Parameter) constraint(format string, args ...any) error {
	if p.ConstraintDescription != "" {
		return errorf("Parameter %s failed to satisfy constraint: %s", p.Name, p.ConstraintDescription)
	}
	return errorf(format, args...)
}

func formatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func textList(l []string) []any {
	out, _ := list(l)
	return out
}
