package ec2

import (
	"net/netip"
	"testing"
)

func TestWildcard(t *testing.T) {
	cases := []struct {
		pattern, value string
		want           bool
	}{
		{"vpc-*", "vpc-123", true},
		{"*", "", true},
		{"", "", true},
		{"", "x", false},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"*-private-*", "my-private-subnet", true},
		{"*-private-*", "my-public-subnet", false},
		{`a\*`, "a*", true},
		{`a\*`, "ab", false},
		{`a\?`, "a?", true},
		{"us-east-1?", "us-east-1a", true},
		{"*a*b", "xaxxb", true},
		{"*a*b", "xaxxbc", false},
		{"exact", "Exact", false},
	}
	for _, c := range cases {
		if got := wildcard(c.pattern, c.value); got != c.want {
			t.Errorf("wildcard(%q, %q) = %v, want %v", c.pattern, c.value, got, c.want)
		}
	}
}

func TestParseBlock(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"10.0.0.0/16", "10.0.0.0/16", true},
		{"10.0.0.0/28", "10.0.0.0/28", true},
		{"10.0.0.0/15", "", false},
		{"10.0.0.0/29", "", false},
		{"10.0.0.7/24", "10.0.0.0/24", true},
		{"::/64", "", false},
		{"10.0.0.0", "", false},
		{"garbage", "", false},
	}
	for _, c := range cases {
		p, ok := parseBlock(c.in)
		if ok != c.ok || (ok && p.String() != c.want) {
			t.Errorf("parseBlock(%q) = %v %v, want %s %v", c.in, p, ok, c.want, c.ok)
		}
	}
}

func TestWithinAndUsable(t *testing.T) {
	vpc := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}
	for in, want := range map[string]bool{"10.0.1.0/24": true, "10.0.0.0/16": true, "10.1.0.0/24": false, "10.0.0.0/8": false} {
		if got := within(netip.MustParsePrefix(in), vpc); got != want {
			t.Errorf("within(%s) = %v", in, got)
		}
	}
	sub := netip.MustParsePrefix("10.0.1.0/28")
	for in, want := range map[string]bool{"10.0.1.0": false, "10.0.1.3": false, "10.0.1.4": true, "10.0.1.14": true, "10.0.1.15": false, "10.0.2.4": false} {
		if got := usable(sub, netip.MustParseAddr(in)); got != want {
			t.Errorf("usable(%s) = %v", in, got)
		}
	}
	r := &subnetRecord{cidr: sub, used: map[netip.Addr]string{}}
	for range 11 {
		if _, ok := r.allocate("eni"); !ok {
			t.Fatal("a /28 gives out 11 addresses")
		}
	}
	if _, ok := r.allocate("eni"); ok || *r.subnet.AvailableIpAddressCount != 0 {
		t.Fatal("a full /28 gave out a twelfth address")
	}
}

func TestZoneIDs(t *testing.T) {
	for region, want := range map[string]string{"us-east-1": "use1", "eu-west-2": "euw2", "ap-southeast-1": "apse1", "ap-northeast-3": "apne3", "ca-central-1": "cac1", "sa-east-1": "sae1"} {
		if got := zoneIDPrefix(region); got != want {
			t.Errorf("zoneIDPrefix(%s) = %s, want %s", region, got, want)
		}
	}
	if privateDNSName("eu-west-1", netip.MustParseAddr("10.0.1.5")) != "ip-10-0-1-5.eu-west-1.compute.internal" {
		t.Error("private DNS name outside us-east-1")
	}
}
