package awsproto

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// DecodeQuery decodes awsQuery request parameters onto v, a pointer to an
// SDK input struct. The keys are member paths: a scalar is Name=value, a
// struct member Parent.Child=value, a list item Name.member.N (N from 1,
// gaps tolerated, order kept), a map entry Name.entry.N.key and
// Name.entry.N.value, and an empty list the bare key with an empty value
// (Name=). Action and Version select the operation and are skipped, as are
// unknown members.
//
// The result is canonical, exactly what the SDK would send again: a struct
// (or list item) is present only if one of its members is, a list only if
// it has an item or was sent empty, a map only if it has an entry. A
// parameter that does not parse as its member's type (Port=abc,
// Enabled=maybe, an index that is not a positive integer) yields a
// *ValidationError, the error AWS returns for malformed parameters.
func DecodeQuery(values url.Values, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("awsproto: DecodeQuery needs a non-nil pointer to a struct, got %T", v)
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
	_, err := decodeQueryStruct(rv.Elem(), root, "")
	return err
}

// queryNode is one segment of the parameter keys: Targets.member.1.Id is
// root → Targets → member → 1 → Id.
type queryNode struct {
	value    string
	hasValue bool
	children map[string]*queryNode
}

func (n *queryNode) child(seg string) *queryNode {
	if n.children == nil {
		n.children = map[string]*queryNode{}
	}
	c, ok := n.children[seg]
	if !ok {
		c = &queryNode{}
		n.children[seg] = c
	}
	return c
}

func joinPath(path, seg string) string {
	if path == "" {
		return seg
	}
	return path + "." + seg
}

func badParam(path, value, want string) error {
	return &ValidationError{Message: fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must be %s", value, path, want)}
}

// decodeQueryValue decodes node n onto v (settable) and reports whether
// the member is present. Recursion follows the Go type, never the input,
// so its depth is bounded by the SDK's shapes.
func decodeQueryValue(v reflect.Value, n *queryNode, path string) (bool, error) {
	switch v.Kind() {
	case reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		ok, err := decodeQueryValue(elem.Elem(), n, path)
		if ok && err == nil {
			v.Set(elem)
		}
		return ok, err
	case reflect.Struct:
		if v.Type() == timeType {
			return decodeQueryScalar(v, n, path)
		}
		return decodeQueryStruct(v, n, path)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return decodeQueryScalar(v, n, path)
		}
		return decodeQueryList(v, n, path)
	case reflect.Map:
		return decodeQueryMap(v, n, path)
	case reflect.Interface, reflect.Array, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return false, nil // not an ELBv2 member kind: ignore, like an unknown member
	}
	return decodeQueryScalar(v, n, path)
}

func decodeQueryStruct(v reflect.Value, n *queryNode, path string) (bool, error) {
	present := false
	for _, f := range tableFor(v.Type(), AsIs).fields {
		c := n.children[f.name]
		if c == nil {
			continue
		}
		fv := v.Field(f.index)
		ok, err := decodeQueryValue(fv, c, joinPath(path, f.name))
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

// sentEmpty reports the empty-list marker: the bare key with no value.
func (n *queryNode) sentEmpty() bool {
	return n.hasValue && n.value == ""
}

func decodeQueryList(v reflect.Value, n *queryNode, path string) (bool, error) {
	if n.hasValue && n.value != "" {
		return false, badParam(path, n.value, "a list")
	}
	items, err := indexed(n.children[queryListMember], joinPath(path, queryListMember))
	if err != nil {
		return false, err
	}
	list := reflect.MakeSlice(v.Type(), 0, len(items))
	elem := reflect.New(v.Type().Elem()).Elem()
	for _, it := range items {
		elem.SetZero()
		ok, err := decodeQueryValue(elem, it.node, it.path)
		if err != nil {
			return false, err
		}
		if ok {
			list = reflect.Append(list, elem)
		}
	}
	if list.Len() == 0 && !n.sentEmpty() {
		return false, nil
	}
	v.Set(list)
	return true, nil
}

func decodeQueryMap(v reflect.Value, n *queryNode, path string) (bool, error) {
	t := v.Type()
	if t.Key().Kind() != reflect.String {
		return false, nil
	}
	entries, err := indexed(n.children[queryMapEntry], joinPath(path, queryMapEntry))
	if err != nil {
		return false, err
	}
	m := reflect.MakeMapWithSize(t, len(entries))
	for _, e := range entries {
		k := e.node.children[queryMapKey]
		if k == nil || !k.hasValue {
			continue // an entry without a key names nothing
		}
		val := reflect.New(t.Elem()).Elem()
		if c := e.node.children[queryMapValue]; c != nil {
			if _, err := decodeQueryValue(val, c, joinPath(e.path, queryMapValue)); err != nil {
				return false, err
			}
		}
		key := reflect.New(t.Key()).Elem()
		key.SetString(k.value)
		m.SetMapIndex(key, val)
	}
	if m.Len() == 0 {
		return false, nil
	}
	v.Set(m)
	return true, nil
}

type indexedNode struct {
	index int
	node  *queryNode
	path  string
}

// indexed returns the numbered children of a member or entry node in
// index order. Indices are positive decimal integers without leading
// zeros, so no two keys name the same item.
func indexed(n *queryNode, path string) ([]indexedNode, error) {
	if n == nil {
		return nil, nil
	}
	out := make([]indexedNode, 0, len(n.children))
	for k, c := range n.children {
		i, err := strconv.Atoi(k)
		if err != nil || i < 1 || k[0] == '0' || k[0] == '+' {
			return nil, &ValidationError{Message: fmt.Sprintf("Invalid parameter index '%s' at '%s': list and map indices are integers starting at 1", k, path)}
		}
		out = append(out, indexedNode{index: i, node: c, path: path + "." + k})
	}
	slices.SortFunc(out, func(a, b indexedNode) int { return a.index - b.index })
	return out, nil
}

func decodeQueryScalar(v reflect.Value, n *queryNode, path string) (bool, error) {
	return decodeScalar(v, n, path, badParam)
}
