// Package clone deep-copies the plain data structs the stores keep (the
// aws-sdk-go-v2 types), so that readers never share memory with the store.
package clone

import "reflect"

// Of returns a deep copy of v. Pointers, slices, maps and structs are copied
// recursively; interface values holding them are copied too. Unexported
// fields are copied by value (time.Time, the SDK's serde marker), and so
// are arrays, strings, funcs and channels.
func Of[T any](v T) T {
	Unshare(&v)
	return v
}

// Unshare replaces everything *p shares with what it was copied from by
// copies, as Of does: after *p = *q, Unshare(p) makes *p a deep copy of *q.
// It saves Of's copies of a large T for callers that copy into place.
func Unshare[T any](p *T) {
	if pl := planOf(reflect.TypeFor[T]()); pl.deep {
		a := pl.sizes.arena()
		pl.unshare(reflect.ValueOf(p).Elem(), a)
		pl.sizes.remember(a)
	}
}

// A plan deep-copies values of one type. Plans are made once per type (see
// plans.go): walking a type's fields by reflection on every copy, and
// building each struct aside before copying it into place, cost the
// reconciler more than the copying itself.
type plan struct {
	// deep is false for types a shallow copy copies fully: nothing
	// reachable from them is shared.
	deep bool
	// unshare replaces what v, addressable, shares by copies.
	unshare func(v reflect.Value, a *arena)
	// sizes are those of the arena of the last copy of the type.
	sizes arenaSizes
}

func pointerPlan(elem *plan, t reflect.Type) func(v reflect.Value, a *arena) {
	return func(v reflect.Value, a *arena) {
		if v.IsNil() {
			return
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(v.Elem())
		if elem.deep {
			elem.unshare(p.Elem(), a)
		}
		v.Set(p)
	}
}

func slicePlan(elem *plan, t reflect.Type) func(v reflect.Value, a *arena) {
	return func(v reflect.Value, a *arena) {
		if v.Cap() == 0 {
			// nil, or empty with nothing behind it that an append could
			// write to: nothing is shared (the SDK's types are full of
			// empty lists).
			return
		}
		s := reflect.MakeSlice(t, v.Len(), v.Len())
		reflect.Copy(s, v)
		if elem.deep {
			for i := range s.Len() {
				elem.unshare(s.Index(i), a)
			}
		}
		v.Set(s)
	}
}

func mapPlan(elem *plan, t reflect.Type) func(v reflect.Value, a *arena) {
	return func(v reflect.Value, a *arena) {
		if v.IsNil() {
			return
		}
		m := reflect.MakeMapWithSize(t, v.Len())
		iter := v.MapRange()
		for iter.Next() {
			e := iter.Value()
			if elem.deep {
				c := reflect.New(t.Elem()).Elem()
				c.Set(e)
				elem.unshare(c, a)
				e = c
			}
			m.SetMapIndex(iter.Key(), e)
		}
		v.Set(m)
	}
}

// field is an exported struct field that needs more than a shallow copy.
type field struct {
	index int
	plan  *plan
}

func structPlan(fields []field) func(v reflect.Value, a *arena) {
	return func(v reflect.Value, a *arena) {
		for _, f := range fields {
			f.plan.unshare(v.Field(f.index), a)
		}
	}
}

// interfacePlan copies what an interface holds, whose type is only known
// at copy time.
func interfacePlan(v reflect.Value, a *arena) {
	if v.IsNil() {
		return
	}
	held := v.Elem()
	p := planOf(held.Type())
	if !p.deep {
		return
	}
	c := reflect.New(held.Type()).Elem()
	c.Set(held)
	p.unshare(c, a)
	v.Set(c)
}
