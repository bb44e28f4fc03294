package docker

import (
	"context"
	"net/netip"
	"testing"

	"github.com/moby/moby/client"
)

// AddAddress gives each name the gateway of a /30 of its own, skipping a
// subnet another network holds, returns the same address again for the
// same name, and RemoveNetwork takes the address networks along.
func TestAddressNetworks(t *testing.T) {
	e := newTestEnv(t)
	pool := freePool(t, e)
	at := func(i int) string { // the gateway of the pool's i-th /30
		a := pool.Addr().As4()
		a[3] += byte(4*i + 1)
		return netip.AddrFrom4(a).String()
	}
	other, err := New(t.Context(), Options{Network: e.r.Network() + "-other"})
	if err != nil {
		t.Fatal(err)
	}
	// Not e.ctx: the test's context ends before its cleanups run.
	t.Cleanup(func() { _ = other.RemoveAddress(context.Background(), "x") })
	taken, err := other.AddAddress(e.ctx, "x", pool)
	if err != nil || taken != at(0) {
		t.Fatalf("first address %q, %v", taken, err)
	}

	a, err := e.r.AddAddress(e.ctx, "lb-a", pool)
	if err != nil || a != at(1) {
		t.Fatalf("address next to another emulator's: %q, %v", a, err)
	}
	again, err := e.r.AddAddress(e.ctx, "lb-a", pool)
	if err != nil || again != a {
		t.Fatalf("same name again: %q, %v", again, err)
	}
	b, err := e.r.AddAddress(e.ctx, "lb-b", pool)
	if err != nil || b != at(2) {
		t.Fatalf("second address %q, %v", b, err)
	}
	if _, err := e.r.AddAddress(e.ctx, "lb-c", pool); err != nil {
		t.Fatalf("last /30 of the pool: %v", err)
	}
	if _, err := e.r.AddAddress(e.ctx, "lb-d", pool); err == nil {
		t.Fatal("an exhausted pool gave an address")
	}
	if err := e.r.RemoveAddress(e.ctx, "lb-b"); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.r.addressOf(e.ctx, e.r.addressNetwork("lb-b")); got != "" {
		t.Fatalf("removed address still there: %s", got)
	}
	if err := e.r.RemoveNetwork(e.ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.r.addressOf(e.ctx, e.r.addressNetwork("lb-a")); got != "" {
		t.Fatalf("RemoveNetwork left address network lb-a (%s)", got)
	}
	if got, _ := other.addressOf(e.ctx, other.addressNetwork("x")); got != taken {
		t.Fatalf("RemoveNetwork removed another emulator's address (%q)", got)
	}
}

// freePool is a /28 of 169.254.192.0/20 that no Docker network overlaps,
// so that test runs side by side (or a crashed one's leftovers) do not
// decide the addresses this test expects.
func freePool(t *testing.T, e *testEnv) netip.Prefix {
	t.Helper()
	res, err := e.r.cli.NetworkList(e.ctx, client.NetworkListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var held []netip.Prefix
	for _, n := range res.Items {
		for _, c := range n.IPAM.Config {
			held = append(held, c.Subnet)
		}
	}
	for p := netip.MustParsePrefix("169.254.192.0/28"); netip.MustParsePrefix("169.254.192.0/20").Contains(p.Addr()); {
		free := true
		for _, h := range held {
			if h.Overlaps(p) {
				free = false
				break
			}
		}
		if free {
			return p
		}
		next := p.Addr().As4()
		next[3] += 16
		if next[3] == 0 {
			next[2]++
		}
		p = netip.PrefixFrom(netip.AddrFrom4(next), 28)
	}
	t.Fatal("no free /28 in 169.254.192.0/20")
	return netip.Prefix{}
}
