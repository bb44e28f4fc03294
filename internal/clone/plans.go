package clone

import (
	"reflect"
	"sync"
)

var (
	plans    sync.Map   // reflect.Type → *plan, complete ones only
	building sync.Mutex // one type's plans are made at a time
)

// planOf returns the plan of a type, making it (and those of the types it
// holds) on first use.
func planOf(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	building.Lock()
	defer building.Unlock()
	made := map[reflect.Type]*plan{}
	p := makePlan(t, made)
	// Published only now: a recursive type's plans refer to each other
	// and none is usable before all are filled in.
	for t, p := range made {
		plans.Store(t, p)
	}
	return p
}

func makePlan(t reflect.Type, made map[reflect.Type]*plan) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	if p, ok := made[t]; ok {
		// A type that holds itself does so through a pointer, slice or
		// map: it is deep, and its copy is filled in below.
		return p
	}
	p := &plan{deep: true}
	made[t] = p
	switch t.Kind() {
	case reflect.Pointer:
		if fn, ok := arenaPlans[t]; ok {
			p.unshare = fn
			break
		}
		p.unshare = pointerPlan(makePlan(t.Elem(), made), t)
	case reflect.Slice:
		p.unshare = slicePlan(makePlan(t.Elem(), made), t)
	case reflect.Map:
		p.unshare = mapPlan(makePlan(t.Elem(), made), t)
	case reflect.Interface:
		p.unshare = interfacePlan
	case reflect.Struct:
		var fields []field
		for i := range t.NumField() {
			if !t.Field(i).IsExported() {
				continue
			}
			if fp := makePlan(t.Field(i).Type, made); fp.deep {
				fields = append(fields, field{index: i, plan: fp})
			}
		}
		p.deep = len(fields) > 0
		p.unshare = structPlan(fields)
	default:
		p.deep = false
	}
	return p
}
