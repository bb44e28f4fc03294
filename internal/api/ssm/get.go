package ssm

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// maxNamesPerCall bounds GetParameters and DeleteParameters.
const maxNamesPerCall = 10

// lookup finds the version a reference names: the latest, or the one its
// ":version" or ":label" selector picks. Callers hold the lock.
func (s *Store) lookup(ref string) (*parameter, *version, reference, error) {
	r := s.resolve(ref)
	p := s.params[r.name]
	if p == nil {
		return nil, nil, r, errParameterNotFound()
	}
	if r.selector == "" {
		return p, p.latest(), r, nil
	}
	var v *version
	if n, err := strconv.ParseInt(r.selector, 10, 64); err == nil {
		v = p.byNumber(n)
	} else {
		v = p.byLabel(r.selector)
	}
	if v == nil {
		return nil, nil, r, errVersionNotFound(r.selector, r.name)
	}
	return p, v, r, nil
}

// wireParameter is the Parameter a read returns.
func (s *Store) wireParameter(p *parameter, v *version, r reference, decrypt bool) types.Parameter {
	out := types.Parameter{
		Name: ptr(p.name), Type: v.typ, Value: ptr(wireValue(v, decrypt)), Version: v.number,
		LastModifiedDate: ptr(v.modified), ARN: ptr(s.parameterARN(p.name)), DataType: ptr(v.dataType),
	}
	if r.selector != "" {
		out.Selector = ptr(":" + r.selector)
	}
	return out
}

// GetParameter reads one parameter, by name or ARN, with an optional
// ":version" or ":label" selector.
func (s *Store) GetParameter(_ context.Context, in *ssm.GetParameterInput) (*ssm.GetParameterOutput, error) {
	if deref(in.Name) == "" {
		return nil, errRequired("name")
	}
	s.mu.Lock()
	defer s.unlock()
	p, v, r, err := s.lookup(deref(in.Name))
	if err != nil {
		return nil, err
	}
	out := s.wireParameter(p, v, r, deref(in.WithDecryption))
	return &ssm.GetParameterOutput{Parameter: &out}, nil
}

// GetParameters reads up to 10 parameters; the names that name nothing
// (or a version that does not exist) come back in InvalidParameters.
func (s *Store) GetParameters(_ context.Context, in *ssm.GetParametersInput) (*ssm.GetParametersOutput, error) {
	if err := validNameList(in.Names); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	out := &ssm.GetParametersOutput{Parameters: []types.Parameter{}, InvalidParameters: []string{}}
	seen := map[string]bool{}
	for _, ref := range in.Names {
		if seen[ref] {
			continue
		}
		seen[ref] = true
		p, v, r, err := s.lookup(ref)
		if err != nil {
			out.InvalidParameters = append(out.InvalidParameters, ref)
			continue
		}
		out.Parameters = append(out.Parameters, s.wireParameter(p, v, r, deref(in.WithDecryption)))
	}
	return out, nil
}

func validNameList(names []string) error {
	switch {
	case names == nil:
		return errRequired("names")
	case len(names) == 0:
		return errConstraint("[]", "names", "Member must have length greater than or equal to 1")
	case len(names) > maxNamesPerCall:
		return errConstraint(names, "names", "Member must have length less than or equal to 10")
	}
	return nil
}

// DeleteParameter deletes a parameter with all its versions and tags.
func (s *Store) DeleteParameter(_ context.Context, in *ssm.DeleteParameterInput) (*ssm.DeleteParameterOutput, error) {
	if deref(in.Name) == "" {
		return nil, errRequired("name")
	}
	s.mu.Lock()
	defer s.unlock()
	r := s.resolve(deref(in.Name))
	if r.selector != "" || s.params[r.name] == nil {
		return nil, errParameterNotFound()
	}
	s.touch(r.name)
	delete(s.params, r.name)
	return &ssm.DeleteParameterOutput{}, nil
}

// DeleteParameters deletes up to 10 parameters, naming those it deleted
// and those that did not exist.
func (s *Store) DeleteParameters(_ context.Context, in *ssm.DeleteParametersInput) (*ssm.DeleteParametersOutput, error) {
	if err := validNameList(in.Names); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	out := &ssm.DeleteParametersOutput{DeletedParameters: []string{}, InvalidParameters: []string{}}
	for _, ref := range in.Names {
		r := s.resolve(ref)
		if r.selector != "" || s.params[r.name] == nil {
			out.InvalidParameters = append(out.InvalidParameters, ref)
			continue
		}
		s.touch(r.name)
		delete(s.params, r.name)
		out.DeletedParameters = append(out.DeletedParameters, ref)
	}
	return out, nil
}
