package ec2

import (
	"math/bits"
	"net/netip"
)

// addressIndex indexes the addresses taken in a subnet (its used map, the
// record that is saved), so that taking the lowest free address and giving
// back an interface's addresses do not walk the block or every address
// taken: with thousands of task interfaces, those walks were most of the
// cost of starting and stopping a task's interface.
type addressIndex struct {
	taken   []uint64                // one bit per address of the block; reserved ones are set
	byOwner map[string][]netip.Addr // network interface ID → its addresses
}

// addresses returns the subnet's index, made from used when first needed
// (after a restore, too).
func (r *subnetRecord) addresses() *addressIndex {
	if r.index != nil {
		return r.index
	}
	size := blockSize(r.cidr)
	x := &addressIndex{taken: make([]uint64, (size+63)/64), byOwner: map[string][]netip.Addr{}}
	for off := range len(x.taken) * 64 {
		if off < 4 || off >= size-1 { // AWS's reserved addresses, and past the block's end
			x.set(off, true)
		}
	}
	for a, owner := range r.used {
		x.add(r.cidr, a, owner)
	}
	r.index = x
	return x
}

func (x *addressIndex) set(off int, taken bool) {
	if taken {
		x.taken[off/64] |= 1 << (off % 64)
	} else {
		x.taken[off/64] &^= 1 << (off % 64)
	}
}

func (x *addressIndex) add(sub netip.Prefix, a netip.Addr, owner string) {
	if sub.Contains(a) {
		x.set(addrOffset(sub, a), true)
	}
	x.byOwner[owner] = append(x.byOwner[owner], a)
}

// lowestFree is the offset of the lowest free usable address, -1 if none.
func (x *addressIndex) lowestFree() int {
	for w, word := range x.taken {
		if word != ^uint64(0) {
			return w*64 + bits.TrailingZeros64(^word)
		}
	}
	return -1
}

// allocate takes the lowest free usable address of a subnet.
func (r *subnetRecord) allocate(owner string) (netip.Addr, bool) {
	x := r.addresses()
	off := x.lowestFree()
	if off < 0 {
		return netip.Addr{}, false
	}
	a := fromU32(u32(r.cidr.Addr().As4()) + uint32(off))
	r.used[a] = owner
	x.add(r.cidr, a, owner)
	r.updateCount()
	return a, true
}

// take claims a given address of a subnet.
func (r *subnetRecord) take(a netip.Addr, owner string) error {
	if !usable(r.cidr, a) {
		return errInvalidParameterValue("Address %s does not fall within the subnet's address range", a)
	}
	if _, taken := r.used[a]; taken {
		return errorf("InvalidIPAddress.InUse", "Address %s is in use.", a)
	}
	r.used[a] = owner
	r.addresses().add(r.cidr, a, owner)
	r.updateCount()
	return nil
}

// releaseOwned gives back the addresses an owner (an interface) took.
func (r *subnetRecord) releaseOwned(owner string) {
	x := r.addresses()
	for _, a := range x.byOwner[owner] {
		delete(r.used, a)
		if r.cidr.Contains(a) {
			x.set(addrOffset(r.cidr, a), false)
		}
	}
	delete(x.byOwner, owner)
	r.updateCount()
}

func (r *subnetRecord) updateCount() {
	r.subnet.AvailableIpAddressCount = ptr(int32(blockSize(r.cidr) - reservedAddresses - len(r.used)))
}
