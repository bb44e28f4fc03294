package awsproto

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// DecodeEC2 decodes ec2Query request parameters onto v, a pointer to an
// SDK input struct. The keys are member paths built from the query names
// of the name table: a scalar is Name=value, a struct member
// Parent.Child=value, a list item Name.N (N from 1, gaps tolerated, order
// kept), so Filter.1.Value.2 is the second value of the first filter.
// Action and Version are skipped, and so is any key that names no member
// (the CLI sends parameters newer than the SDK's model).
//
// The result is canonical, exactly what the SDK would send again: a struct
// (or list item) is present only if one of its members is, a list only if
// it has an item (the SDK never sends an empty list). A value that does
// not parse as its member's type (MaxResults=abc, DryRun=maybe) yields an
// *EC2Error InvalidParameterValue, EC2's error for malformed values. An
// input type missing from the name table is a programming error, returned
// as a plain error.
func DecodeEC2(values url.Values, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("awsproto: DecodeEC2 needs a non-nil pointer to a struct, got %T", v)
	}
	root := &queryNode{}
	for key, vals := range values {
		if key == "Action" || key == "Version" || len(vals) == 0 {
			continue
		}
		n := root
		for seg := range strings.SplitSeq(key, ".") {
			n = n.child(seg)
		}
		// A repeated key keeps its first value, as url.Values.Get does.
		n.value, n.hasValue = vals[0], true
	}
	_, err := decodeEC2Struct(rv.Elem(), root, "")
	return err
}

// decodeEC2Value decodes node n onto v (settable) and reports whether the
// member is present. Recursion follows the Go type, never the input, so
// its depth is bounded by the SDK's shapes.
func decodeEC2Value(v reflect.Value, n *queryNode, path string) (bool, error) {
	switch v.Kind() {
	case reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		ok, err := decodeEC2Value(elem.Elem(), n, path)
		if ok && err == nil {
			v.Set(elem)
		}
		return ok, err
	case reflect.Struct:
		if v.Type() == timeType {
			return decodeEC2Scalar(v, n, path)
		}
		return decodeEC2Struct(v, n, path)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return decodeEC2Scalar(v, n, path)
		}
		return decodeEC2List(v, n, path)
	case reflect.Map, reflect.Interface, reflect.Array, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return false, nil // no EC2 input member has these kinds: ignore, like an unknown member
	}
	return decodeEC2Scalar(v, n, path)
}

func decodeEC2Struct(v reflect.Value, n *queryNode, path string) (bool, error) {
	fields, err := ec2Fields(v.Type(), false)
	if err != nil {
		return false, err
	}
	present := false
	for _, f := range fields {
		c := n.children[f.name]
		if c == nil {
			continue
		}
		fv := v.Field(f.index)
		ok, err := decodeEC2Value(fv, c, joinPath(path, f.name))
		if err != nil {
			return false, err
		}
		if fv.Kind() == reflect.String && fv.Len() == 0 {
			ok = false // an empty enum is unset: the SDK never sends it
		}
		present = present || ok
	}
	return present, nil
}

// decodeEC2List decodes a flattened list: the items are the numbered
// children of the member's own node (SubnetId.1, SubnetId.2).
func decodeEC2List(v reflect.Value, n *queryNode, path string) (bool, error) {
	items := ec2Items(n, path)
	list := reflect.MakeSlice(v.Type(), 0, len(items))
	elem := reflect.New(v.Type().Elem()).Elem()
	for _, it := range items {
		elem.SetZero()
		ok, err := decodeEC2Value(elem, it.node, it.path)
		if err != nil {
			return false, err
		}
		if ok {
			list = reflect.Append(list, elem)
		}
	}
	if list.Len() == 0 {
		return false, nil
	}
	v.Set(list)
	return true, nil
}

// ec2Items returns the numbered children of a list node in index order.
// An index is a positive decimal integer without sign or leading zeros, so
// no two keys name the same item; any other child (SubnetId.x) names no
// member and is ignored like an unknown parameter.
func ec2Items(n *queryNode, path string) []indexedNode {
	out := make([]indexedNode, 0, len(n.children))
	for k, c := range n.children {
		i, err := strconv.Atoi(k)
		if err != nil || i < 1 || k[0] == '0' || k[0] == '+' {
			continue
		}
		out = append(out, indexedNode{index: i, node: c, path: path + "." + k})
	}
	slices.SortFunc(out, func(a, b indexedNode) int { return a.index - b.index })
	return out
}

// invalidEC2Value is EC2's error for a parameter whose value does not
// parse, worded like EC2's "Value () for parameter groupId is invalid."
func invalidEC2Value(path, value, want string) error {
	return &EC2Error{
		Code:    "InvalidParameterValue",
		Message: fmt.Sprintf("Value (%s) for parameter %s is invalid. Expected %s.", value, path, want),
	}
}

func decodeEC2Scalar(v reflect.Value, n *queryNode, path string) (bool, error) {
	return decodeScalar(v, n, path, invalidEC2Value)
}
