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

func TestPageNewestFirstSurvivesAppends(t *testing.T) {
	items := []int{1, 2, 3, 4, 5}
	page, next, err := PageNewestFirst(items, "", 2, "test")
	if err != nil || !reflect.DeepEqual(page, []int{5, 4}) || next == "" {
		t.Fatalf("first page %v %q %v", page, next, err)
	}
	items = append(items, 6, 7) // appended while the client pages
	var rest []int
	for next != "" {
		if page, next, err = PageNewestFirst(items, next, 2, "test"); err != nil {
			t.Fatal(err)
		}
		rest = append(rest, page...)
	}
	if !reflect.DeepEqual(rest, []int{3, 2, 1}) {
		t.Errorf("later pages %v, want [3 2 1]", rest)
	}
	if page, _, _ := PageNewestFirst(items, "", 3, "test"); !reflect.DeepEqual(page, []int{7, 6, 5}) {
		t.Errorf("a new listing starts at the newest: %v", page)
	}
	for _, bad := range []string{"x", encode(8, "test"), encode(0, "test"), encode(2, "other")} {
		if _, _, err := PageNewestFirst(items, bad, 2, "test"); !errors.Is(err, ErrBadToken) {
			t.Errorf("token %q: %v", bad, err)
		}
	}
}
