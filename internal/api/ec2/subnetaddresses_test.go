package ec2

import (
	"net/netip"
	"testing"
)

func TestAllocateReusesTheLowestReleasedAddress(t *testing.T) {
	r := &subnetRecord{cidr: netip.MustParsePrefix("10.0.0.0/22"), used: map[netip.Addr]string{}}
	owners := []string{"eni-a", "eni-b", "eni-c", "eni-d"}
	for i := range 300 { // past the first few words of the index
		if _, ok := r.allocate(owners[i%len(owners)]); !ok {
			t.Fatal("a /22 ran out of addresses")
		}
	}
	r.releaseOwned("eni-b") // 10.0.0.5, .9, .13, ...
	if a, _ := r.allocate("eni-e"); a != netip.MustParseAddr("10.0.0.5") {
		t.Fatalf("allocate after a release = %s, want the lowest free 10.0.0.5", a)
	}
	if a, _ := r.allocate("eni-e"); a != netip.MustParseAddr("10.0.0.9") {
		t.Fatalf("next allocate = %s, want 10.0.0.9", a)
	}
	if got, want := *r.subnet.AvailableIpAddressCount, int32(1024-5-300+75-2); got != want {
		t.Fatalf("available count %d, want %d", got, want)
	}
	for a, owner := range r.used {
		if owner == "eni-b" {
			t.Fatalf("released address %s still held", a)
		}
	}
}

func TestAddressIndexIsMadeFromTheRecord(t *testing.T) {
	sub := netip.MustParsePrefix("10.0.1.0/28")
	// As Restore leaves it: addresses taken, no index yet.
	r := &subnetRecord{cidr: sub, used: map[netip.Addr]string{
		netip.MustParseAddr("10.0.1.4"): "eni-a", netip.MustParseAddr("10.0.1.6"): "eni-b",
	}}
	if a, _ := r.allocate("eni-c"); a != netip.MustParseAddr("10.0.1.5") {
		t.Fatalf("allocate = %s, want 10.0.1.5", a)
	}
	if err := r.take(netip.MustParseAddr("10.0.1.6"), "eni-d"); err == nil {
		t.Fatal("took an address another interface holds")
	}
	r.releaseOwned("eni-a")
	if a, _ := r.allocate("eni-e"); a != netip.MustParseAddr("10.0.1.4") {
		t.Fatalf("allocate after a restored interface's release = %s, want 10.0.1.4", a)
	}
}
