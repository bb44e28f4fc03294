package paging

import (
	"errors"
	"reflect"
	"testing"
)

func TestPageWalksAListing(t *testing.T) {
	items := []int{1, 2, 3, 4, 5}
	var got []int
	token := ""
	for pages := 0; ; pages++ {
		page, next, err := Page(items, token, 2, "test")
		if err != nil || pages > 3 {
			t.Fatalf("page %d: %v", pages, err)
		}
		got = append(got, page...)
		if next == "" {
			break
		}
		token = next
	}
	if !reflect.DeepEqual(got, items) {
		t.Fatalf("walked %v, want %v", got, items)
	}
}

func TestPageRefusesForeignAndBrokenTokens(t *testing.T) {
	_, next, _ := Page([]int{1, 2, 3}, "", 1, "ecs")
	for _, tok := range []string{"!!!", encode(9, "ecs"), next + "x", encode(-1, "ecs")} {
		if _, _, err := Page([]int{1, 2, 3}, tok, 1, "ecs"); !errors.Is(err, ErrBadToken) {
			t.Errorf("token %q: err = %v, want ErrBadToken", tok, err)
		}
	}
	if _, _, err := Page([]int{1, 2, 3}, next, 1, "elbv2"); !errors.Is(err, ErrBadToken) {
		t.Errorf("another API's token accepted: %v", err)
	}
	if page, next, err := Page([]int{}, "", 10, "ecs"); err != nil || len(page) != 0 || next != "" {
		t.Errorf("empty listing: %v %q %v", page, next, err)
	}
}
