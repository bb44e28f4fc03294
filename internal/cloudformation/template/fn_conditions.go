package template

import "reflect"

// fnIf resolves Fn::If [condition, ifTrue, ifFalse], evaluating only the
// branch it takes (the other may name resources that do not exist).
func (e *evaluator) fnIf(arg any) (any, error) {
	args, ok := arg.([]any)
	if !ok || len(args) != 3 {
		return nil, errorf("Template error: Fn::If requires a list argument with three elements")
	}
	name, ok := args[0].(string)
	if !ok {
		return nil, errorf("Template error: Fn::If requires a list argument with the first element being a condition")
	}
	v, defined, err := e.condition(name)
	if err != nil {
		return nil, err
	}
	if !defined {
		return nil, errorf("Template error: unresolved condition dependency %s in Fn::If", name)
	}
	if v {
		return e.eval(args[1])
	}
	return e.eval(args[2])
}

// fnEquals resolves Fn::Equals [a, b]. Scalars compare as text, the way
// CloudFormation compares them ("1" equals 1); lists and maps compare whole.
func (e *evaluator) fnEquals(arg any) (any, error) {
	args, ok := arg.([]any)
	if !ok || len(args) != 2 {
		return nil, errorf("Template error: every Fn::Equals object requires a list of 2 string parameters.")
	}
	a, err := e.eval(args[0])
	if err != nil {
		return nil, err
	}
	b, err := e.eval(args[1])
	if err != nil {
		return nil, err
	}
	return equal(a, b), nil
}

func equal(a, b any) bool {
	as, aok := text(a)
	bs, bok := text(b)
	if aok && bok {
		return as == bs
	}
	return reflect.DeepEqual(a, b)
}

func (e *evaluator) boolList(arg any, fn string, minN, maxN int, msg string) ([]bool, error) {
	args, ok := arg.([]any)
	if !ok || len(args) < minN || len(args) > maxN {
		return nil, errorf("%s", msg)
	}
	out := make([]bool, len(args))
	for i, a := range args {
		b, err := e.evalBool(a, fn)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// fnAnd resolves Fn::And [c1, ..., cn] with 2 ≤ n ≤ 10.
func (e *evaluator) fnAnd(arg any) (any, error) {
	bs, err := e.boolList(arg, "Fn::And", 2, 10, "Template error: every Fn::And object requires a list of at least 2 and at most 10 boolean parameters.")
	if err != nil {
		return nil, err
	}
	for _, b := range bs {
		if !b {
			return false, nil
		}
	}
	return true, nil
}

// fnOr resolves Fn::Or [c1, ..., cn] with 2 ≤ n ≤ 10.
func (e *evaluator) fnOr(arg any) (any, error) {
	bs, err := e.boolList(arg, "Fn::Or", 2, 10, "Template error: every Fn::Or object requires a list of at least 2 and at most 10 boolean parameters.")
	if err != nil {
		return nil, err
	}
	for _, b := range bs {
		if b {
			return true, nil
		}
	}
	return false, nil
}

// fnNot resolves Fn::Not [c].
func (e *evaluator) fnNot(arg any) (any, error) {
	bs, err := e.boolList(arg, "Fn::Not", 1, 1, "Template error: every Fn::Not object requires a list of exactly 1 boolean parameter.")
	if err != nil {
		return nil, err
	}
	return !bs[0], nil
}
