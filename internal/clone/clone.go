// Package clone deep-copies the plain data structs the stores keep (the
// aws-sdk-go-v2 types), so that readers never share memory with the store.
package clone

import "reflect"

// Of returns a deep copy of v. Pointers, slices, maps and structs are copied
// recursively; interface values holding them are copied too. Unexported
// fields are copied by value (time.Time, the SDK's serde marker).
func Of[T any](v T) T {
	out := deep(reflect.ValueOf(&v).Elem())
	return out.Interface().(T)
}

func deep(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(deep(v.Elem()))
		return p
	case reflect.Slice:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		s := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			s.Index(i).Set(deep(v.Index(i)))
		}
		return s
	case reflect.Map:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		m := reflect.MakeMapWithSize(v.Type(), v.Len())
		iter := v.MapRange()
		for iter.Next() {
			m.SetMapIndex(iter.Key(), deep(iter.Value()))
		}
		return m
	case reflect.Struct:
		// Start from a value copy so unexported state (time.Time) survives,
		// then replace every exported field with its deep copy.
		s := reflect.New(v.Type()).Elem()
		s.Set(v)
		for i := 0; i < v.NumField(); i++ {
			if !s.Field(i).CanSet() {
				continue
			}
			s.Field(i).Set(deep(v.Field(i)))
		}
		return s
	case reflect.Interface:
		if v.IsNil() {
			return reflect.Zero(v.Type())
		}
		c := deep(v.Elem())
		i := reflect.New(v.Type()).Elem()
		i.Set(c)
		return i
	default:
		return v
	}
}
