// Package clone deep-copies the plain data structs the stores keep (the
// aws-sdk-go-v2 types), so that readers never share memory with the store.
package clone

import "reflect"

// Of returns a deep copy of v. Pointers, slices, maps and structs are copied
// recursively; interface values holding them are copied too. Unexported
// fields are copied by value (time.Time, the SDK's serde marker), and so
// are arrays, strings, funcs and channels.
func Of[T any](v T) T {
	out := v
	if p := planOf(reflect.TypeFor[T]()); p.deep {
		p.copy(reflect.ValueOf(&out).Elem(), reflect.ValueOf(&v).Elem())
	}
	return out
}

// A plan deep-copies values of one type. Plans are made once per type (see
// plans.go): walking a type's fields by reflection on every copy, and
// building each struct aside before copying it into place, cost the
// reconciler more than the copying itself.
type plan struct {
	// deep is false for types a shallow copy copies fully: nothing
	// reachable from them is shared.
	deep bool
	// copy replaces what dst shares with src by copies; dst is
	// addressable and already holds a shallow copy of src.
	copy func(dst, src reflect.Value)
}

func pointerPlan(elem *plan, t reflect.Type) func(dst, src reflect.Value) {
	return func(dst, src reflect.Value) {
		if src.IsNil() {
			return
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(src.Elem())
		if elem.deep {
			elem.copy(p.Elem(), src.Elem())
		}
		dst.Set(p)
	}
}

func slicePlan(elem *plan, t reflect.Type) func(dst, src reflect.Value) {
	return func(dst, src reflect.Value) {
		if src.IsNil() {
			return
		}
		s := reflect.MakeSlice(t, src.Len(), src.Len())
		reflect.Copy(s, src)
		if elem.deep {
			for i := range src.Len() {
				elem.copy(s.Index(i), src.Index(i))
			}
		}
		dst.Set(s)
	}
}

func mapPlan(elem *plan, t reflect.Type) func(dst, src reflect.Value) {
	return func(dst, src reflect.Value) {
		if src.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(t, src.Len())
		iter := src.MapRange()
		for iter.Next() {
			v := iter.Value()
			if elem.deep {
				c := reflect.New(t.Elem()).Elem()
				c.Set(v)
				elem.copy(c, v)
				v = c
			}
			m.SetMapIndex(iter.Key(), v)
		}
		dst.Set(m)
	}
}

// field is an exported struct field that needs more than a shallow copy.
type field struct {
	index int
	plan  *plan
}

func structPlan(fields []field) func(dst, src reflect.Value) {
	return func(dst, src reflect.Value) {
		for _, f := range fields {
			f.plan.copy(dst.Field(f.index), src.Field(f.index))
		}
	}
}

// interfacePlan copies what an interface holds, whose type is only known
// at copy time.
func interfacePlan(dst, src reflect.Value) {
	if src.IsNil() {
		return
	}
	held := src.Elem()
	p := planOf(held.Type())
	if !p.deep {
		return
	}
	c := reflect.New(held.Type()).Elem()
	c.Set(held)
	p.copy(c, held)
	dst.Set(c)
}
