package regional

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/localaws/ecsemu/internal/awsproto"
	"github.com/localaws/ecsemu/internal/reqctx"
)

type store struct{ account, region string }

type echoIn struct{ Name *string }
type echoOut struct{ Where, Name string }

func (s *store) echo(_ context.Context, in *echoIn) (*echoOut, error) {
	return &echoOut{Where: s.account + "/" + s.region, Name: *in.Name}, nil
}

func TestStoresAndHandlers(t *testing.T) {
	made := 0
	stores := NewStores(func(account, region string) *store { made++; return &store{account, region} })
	var wg sync.WaitGroup
	for range 8 { // one store per key, also when asked for at once
		wg.Go(func() { stores.Get("1", "eu-west-1") })
	}
	wg.Wait()
	if made != 1 || stores.Get("1", "eu-west-1") != stores.Get("1", "eu-west-1") {
		t.Fatalf("made %d stores for one key", made)
	}
	stores.Get("2", "eu-west-1")
	stores.Get("1", "ap-south-1")
	var got []string
	for _, s := range stores.All() {
		got = append(got, s.region+"/"+s.account)
	}
	if want := "ap-south-1/1 eu-west-1/1 eu-west-1/2"; strings.Join(got, " ") != want {
		t.Errorf("All = %v, want %s", got, want)
	}

	h := Handlers[store]{"Echo": Op(awsproto.AsIs, (*store).echo)}
	ctx := reqctx.With(context.Background(), "us-west-2", "3", "req-1")
	out, err := h.Handle(ctx, stores, "Echo", []byte(`{"Name":"x"}`))
	if err != nil || *out.(*echoOut) != (echoOut{Where: "3/us-west-2", Name: "x"}) {
		t.Errorf("Echo = %+v, %v", out, err)
	}
	if _, err := h.Handle(ctx, stores, "Nope", nil); err == nil {
		t.Error("an unknown operation was served")
	}
	if names := h.Names(); len(names) != 1 || names[0] != "Echo" {
		t.Errorf("Names = %v", names)
	}
	stores.Reset()
	if len(stores.All()) != 0 {
		t.Error("stores left after Reset")
	}
}
