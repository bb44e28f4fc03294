package clone

import (
	"reflect"
	"sync/atomic"
	"time"
)

// An arena holds the copies of what a copy's pointers to plain values
// (the SDK's *string, *int32, *bool, *time.Time fields) point to, in a few
// shared blocks instead of one allocation each: a task has dozens of them,
// and allocating them one by one was most of a task's copy and of the
// garbage collector's work. Each pointer still has a value of its own.
type arena struct {
	strings block[string]
	bools   block[bool]
	int32s  block[int32]
	int64s  block[int64]
	times   block[time.Time]
}

// A block hands out the slots of one kind of value.
type block[E any] struct {
	free []E // what is left of the current block
	n    int // values stored so far
	want int // how many the last copy of the same type stored
}

// slot stores v in a slot of its own. The first block is as large as the
// last copy of the same type needed, so that copies of a type usually take
// a single block of each kind; past that, blocks double.
func (b *block[E]) slot(v E) *E {
	if len(b.free) == 0 {
		b.free = make([]E, max(b.want-b.n, b.n, 4))
	}
	p := &b.free[0]
	*p = v
	b.free = b.free[1:]
	b.n++
	return p
}

// arenaSizes remembers how many values of each kind the last copy of a
// type stored.
type arenaSizes struct {
	strings, bools, int32s, int64s, times atomic.Int32
}

func (s *arenaSizes) arena() *arena {
	return &arena{
		strings: block[string]{want: int(s.strings.Load())},
		bools:   block[bool]{want: int(s.bools.Load())},
		int32s:  block[int32]{want: int(s.int32s.Load())},
		int64s:  block[int64]{want: int(s.int64s.Load())},
		times:   block[time.Time]{want: int(s.times.Load())},
	}
}

func (s *arenaSizes) remember(a *arena) {
	s.strings.Store(int32(a.strings.n))
	s.bools.Store(int32(a.bools.n))
	s.int32s.Store(int32(a.int32s.n))
	s.int64s.Store(int32(a.int64s.n))
	s.times.Store(int32(a.times.n))
}

// valuePointerPlan is the plan of a pointer to E, a plain value, whose
// copies go to the arena's block for E.
func valuePointerPlan[E any](block func(*arena) *block[E]) func(v reflect.Value, a *arena) {
	return func(v reflect.Value, a *arena) {
		if p := v.Interface().(*E); p != nil {
			v.Set(reflect.ValueOf(block(a).slot(*p)))
		}
	}
}

// arenaPlans are the pointer types whose copies go to the arena.
var arenaPlans = map[reflect.Type]func(v reflect.Value, a *arena){
	reflect.TypeFor[*string]():    valuePointerPlan(func(a *arena) *block[string] { return &a.strings }),
	reflect.TypeFor[*bool]():      valuePointerPlan(func(a *arena) *block[bool] { return &a.bools }),
	reflect.TypeFor[*int32]():     valuePointerPlan(func(a *arena) *block[int32] { return &a.int32s }),
	reflect.TypeFor[*int64]():     valuePointerPlan(func(a *arena) *block[int64] { return &a.int64s }),
	reflect.TypeFor[*time.Time](): valuePointerPlan(func(a *arena) *block[time.Time] { return &a.times }),
}
