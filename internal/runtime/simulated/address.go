package simulated

import "net/netip"

// addresses hands out the task subnet's addresses, each once until it is
// released, skipping the network and the first address (a gateway's).
type addresses struct {
	subnet netip.Prefix
	next   netip.Addr
	inUse  map[netip.Addr]bool
}

func newAddresses(subnet netip.Prefix) addresses {
	subnet = subnet.Masked()
	return addresses{subnet: subnet, next: subnet.Addr().Next().Next(), inUse: map[netip.Addr]bool{}}
}

// take returns a free address, or false when the subnet is full. It goes
// round the subnet so that an address released a moment ago is reused last.
func (a *addresses) take() (netip.Addr, bool) {
	first := a.next
	for {
		ip := a.next
		a.next = a.next.Next()
		if !a.subnet.Contains(a.next) || isBroadcast(a.subnet, a.next) {
			a.next = a.subnet.Addr().Next().Next()
		}
		if !a.inUse[ip] {
			a.inUse[ip] = true
			return ip, true
		}
		if a.next == first {
			return netip.Addr{}, false
		}
	}
}

func (a *addresses) release(ip netip.Addr) { delete(a.inUse, ip) }

// isBroadcast says whether ip is the subnet's last address.
func isBroadcast(subnet netip.Prefix, ip netip.Addr) bool {
	return !subnet.Contains(ip.Next())
}
