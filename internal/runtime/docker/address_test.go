package docker

import (
	"net/netip"
	"testing"
)

// AddAddress gives each name the gateway of a /30 of its own, skipping a
// subnet another network holds, returns the same address again for the
// same name, and RemoveNetwork takes the address networks along.
func TestAddressNetworks(t *testing.T) {
	e := newTestEnv(t)
	pool := netip.MustParsePrefix("169.254.199.0/28")
	other, err := New(t.Context(), Options{Network: e.r.Network() + "-other"})
	if err != nil {
		t.Fatal(err)
	}
	taken, err := other.AddAddress(e.ctx, "x", pool)
	if err != nil || taken != "169.254.199.1" {
		t.Fatalf("first address %q, %v", taken, err)
	}
	t.Cleanup(func() { _ = other.RemoveAddress(e.ctx, "x") })

	a, err := e.r.AddAddress(e.ctx, "lb-a", pool)
	if err != nil || a != "169.254.199.5" {
		t.Fatalf("address next to another emulator's: %q, %v", a, err)
	}
	again, err := e.r.AddAddress(e.ctx, "lb-a", pool)
	if err != nil || again != a {
		t.Fatalf("same name again: %q, %v", again, err)
	}
	b, err := e.r.AddAddress(e.ctx, "lb-b", pool)
	if err != nil || b != "169.254.199.9" {
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
