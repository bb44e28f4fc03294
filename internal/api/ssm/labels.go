package ssm

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// A version carries at most 10 labels; a label names one version of a
// parameter at a time, so labelling another version moves it.
const maxLabelsPerVersion = 10

// validLabel reports whether a label is one Parameter Store accepts: up to
// 100 letters, digits, . - _, not beginning with a digit, "aws" or "ssm".
func validLabel(l string) bool {
	if l == "" || len(l) > 100 || !nameChars(l) || (l[0] >= '0' && l[0] <= '9') {
		return false
	}
	return !reserved(l)
}

func checkLabels(labels []string) error {
	if len(labels) == 0 {
		return errConstraint("[]", "labels", "Member must have length greater than or equal to 1")
	}
	if len(labels) > maxLabelsPerVersion {
		return errConstraint("["+strings.Join(labels, ", ")+"]", "labels", "Member must have length less than or equal to 10")
	}
	return nil
}

// versionFor finds the version a label call names (the latest when none).
// Callers hold the lock.
func (s *Store) versionFor(name string, number *int64) (*parameter, *version, error) {
	r := s.resolve(name)
	p := s.params[r.name]
	if p == nil || r.selector != "" {
		return nil, nil, errParameterNotFound()
	}
	if number == nil {
		return p, p.latest(), nil
	}
	v := p.byNumber(*number)
	if v == nil {
		return nil, nil, errVersionNotFound(strconv.FormatInt(*number, 10), p.name)
	}
	return p, v, nil
}

// LabelParameterVersion attaches labels to a version, moving them from
// any other version; labels AWS would not accept come back in
// InvalidLabels and are not attached.
func (s *Store) LabelParameterVersion(_ context.Context, in *ssm.LabelParameterVersionInput) (*ssm.LabelParameterVersionOutput, error) {
	if deref(in.Name) == "" {
		return nil, errRequired("name")
	}
	if err := checkLabels(in.Labels); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	p, v, err := s.versionFor(deref(in.Name), in.ParameterVersion)
	if err != nil {
		return nil, err
	}
	invalid := []string{}
	var add []string
	for _, l := range in.Labels {
		switch {
		case !validLabel(l):
			invalid = append(invalid, l)
		case !slices.Contains(v.labels, l) && !slices.Contains(add, l):
			add = append(add, l)
		}
	}
	if len(v.labels)+len(add) > maxLabelsPerVersion {
		return nil, errLabelLimit()
	}
	s.touch(p.name)
	for _, other := range p.versions {
		other.labels = slices.DeleteFunc(other.labels, func(l string) bool { return slices.Contains(add, l) })
	}
	v.labels = append(v.labels, add...)
	return &ssm.LabelParameterVersionOutput{InvalidLabels: invalid, ParameterVersion: v.number}, nil
}

// UnlabelParameterVersion removes labels from a version; labels the
// version does not carry come back in InvalidLabels.
func (s *Store) UnlabelParameterVersion(_ context.Context, in *ssm.UnlabelParameterVersionInput) (*ssm.UnlabelParameterVersionOutput, error) {
	if deref(in.Name) == "" {
		return nil, errRequired("name")
	}
	if in.ParameterVersion == nil {
		return nil, errRequired("parameterVersion")
	}
	if err := checkLabels(in.Labels); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	p, v, err := s.versionFor(deref(in.Name), in.ParameterVersion)
	if err != nil {
		return nil, err
	}
	s.touch(p.name)
	out := &ssm.UnlabelParameterVersionOutput{InvalidLabels: []string{}, RemovedLabels: []string{}}
	for _, l := range in.Labels {
		if i := slices.Index(v.labels, l); i >= 0 {
			v.labels = slices.Delete(v.labels, i, i+1)
			out.RemovedLabels = append(out.RemovedLabels, l)
		} else {
			out.InvalidLabels = append(out.InvalidLabels, l)
		}
	}
	return out, nil
}
