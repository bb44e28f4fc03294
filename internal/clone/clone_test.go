package clone

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

func TestOfIsDeep(t *testing.T) {
	now := time.Unix(1700000000, 0)
	orig := types.Task{
		TaskArn:    aws.String("arn"),
		CreatedAt:  &now,
		Containers: []types.Container{{Name: aws.String("web"), ExitCode: aws.Int32(1)}},
		Tags:       []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}},
		Overrides:  &types.TaskOverride{ContainerOverrides: []types.ContainerOverride{{Name: aws.String("web")}}},
	}
	cp := Of(orig)
	*cp.TaskArn = "changed"
	*cp.Containers[0].Name = "changed"
	*cp.Containers[0].ExitCode = 9
	cp.Tags[0].Key = aws.String("changed")
	*cp.Overrides.ContainerOverrides[0].Name = "changed"
	if *orig.TaskArn != "arn" || *orig.Containers[0].Name != "web" || *orig.Containers[0].ExitCode != 1 ||
		*orig.Tags[0].Key != "k" || *orig.Overrides.ContainerOverrides[0].Name != "web" {
		t.Fatalf("copy shares memory with the original: %+v", orig)
	}
	if !cp.CreatedAt.Equal(now) {
		t.Fatalf("time not copied: %v", cp.CreatedAt)
	}
	m := map[string][]string{"a": {"x"}}
	mc := Of(m)
	mc["a"][0] = "y"
	if m["a"][0] != "x" {
		t.Fatal("map values shared")
	}
	var nilSlice []types.Tag
	if Of(nilSlice) != nil {
		t.Fatal("nil slice became non-nil")
	}
}

// node holds itself, through a pointer and a slice.
type node struct {
	Name     *string
	Next     *node
	Children []node
	Any      any
	hidden   *string
}

func TestOfRecursiveTypes(t *testing.T) {
	hidden := "h"
	orig := node{Name: aws.String("a"), Next: &node{Name: aws.String("b")}, Children: []node{{Name: aws.String("c")}}, hidden: &hidden}
	cp := Of(orig)
	*cp.Next.Name = "changed"
	*cp.Children[0].Name = "changed"
	if *orig.Next.Name != "b" || *orig.Children[0].Name != "c" {
		t.Fatalf("copy shares memory with the original: %+v", orig)
	}
	if cp.hidden != orig.hidden {
		t.Fatal("an unexported field is not copied by value")
	}
	if cp.Next.Next != nil || cp.Children[0].Children != nil {
		t.Fatal("nil became non-nil")
	}
}

func TestOfCopiesWhatInterfacesHold(t *testing.T) {
	orig := node{Any: &node{Name: aws.String("held")}}
	cp := Of(orig)
	*cp.Any.(*node).Name = "changed"
	if *orig.Any.(*node).Name != "held" {
		t.Fatal("the value an interface holds is shared")
	}
	var a any = []string{"x"}
	ac := Of(a)
	ac.([]string)[0] = "y"
	if a.([]string)[0] != "x" {
		t.Fatal("a slice in an interface is shared")
	}
	if Of[any](nil) != nil || Of(node{}).Any != nil {
		t.Fatal("a nil interface became non-nil")
	}
}

func TestOfMapsOfStructs(t *testing.T) {
	orig := map[string]types.Tag{"a": {Key: aws.String("k")}}
	cp := Of(orig)
	*cp["a"].Key = "changed"
	if *orig["a"].Key != "k" {
		t.Fatal("a struct in a map shares its pointers")
	}
	flat := map[string]int{"a": 1}
	fc := Of(flat)
	fc["a"] = 2
	if flat["a"] != 1 {
		t.Fatal("map shared")
	}
}

func TestOfIsSafeForConcurrentFirstUse(t *testing.T) {
	type fresh struct{ Items []*node }
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			cp := Of(fresh{Items: []*node{{Name: aws.String("x")}}})
			if *cp.Items[0].Name != "x" {
				t.Error("wrong copy")
			}
		})
	}
	wg.Wait()
}

func TestUnshareMakesAShallowCopyDeep(t *testing.T) {
	orig := types.Task{TaskArn: aws.String("arn"), Containers: []types.Container{{Name: aws.String("web")}}}
	cp := orig
	Unshare(&cp)
	*cp.TaskArn = "changed"
	*cp.Containers[0].Name = "changed"
	if *orig.TaskArn != "arn" || *orig.Containers[0].Name != "web" {
		t.Fatalf("the unshared copy still shares memory: %+v", orig)
	}
}

func TestOfGivesEachPointerItsOwnValue(t *testing.T) {
	var orig []types.KeyValuePair
	for i := range 100 { // past the first blocks of copies
		orig = append(orig, types.KeyValuePair{Name: aws.String("n"), Value: aws.String(fmt.Sprint(i))})
	}
	cp := Of(orig)
	*cp[0].Name = "changed"
	for i := range cp {
		if i > 0 && *cp[i].Name != "n" || *cp[i].Value != fmt.Sprint(i) || *orig[i].Name != "n" {
			t.Fatalf("pointer %d shares its value: %s=%s", i, *cp[i].Name, *cp[i].Value)
		}
	}
}

func TestOfCopiesEmptySlicesWithRoom(t *testing.T) {
	orig := make([]string, 0, 4)
	cp := Of(orig)
	if cp == nil || len(cp) != 0 {
		t.Fatalf("an empty list became %#v", cp)
	}
	cp = append(cp, "x")
	if orig[:1][0] == "x" {
		t.Fatal("an append to the copy wrote to the original's array")
	}
	if empty := Of([]string{}); empty == nil {
		t.Fatal("an empty list became nil")
	}
}
