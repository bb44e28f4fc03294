package dnsserver

import (
	"errors"
	"fmt"
	"maps"
	"net"
	"net/netip"
)

// Views let one name have other addresses for the clients of one of the
// server's addresses: a load balancer's name resolves, for task containers
// (which query the task network's gateway), to the address where tasks
// reach it, and for the host to its loopback address.

// compileViews compiles one table per view: the snapshot with the view's
// Static records in place of the shared ones of the same names.
func compileViews(t *table, snap Snapshot, serial uint32) error {
	var errs []error
	for local, static := range snap.Views {
		addr, err := netip.ParseAddr(local)
		if err != nil {
			errs = append(errs, fmt.Errorf("view %q: not an IP address", local))
			continue
		}
		merged := maps.Clone(snap.Static)
		if merged == nil {
			merged = map[string][]string{}
		}
		maps.Copy(merged, static)
		vs := snap
		vs.Static, vs.Views = merged, nil
		vt, err := compile(vs, serial)
		if err != nil {
			errs = append(errs, fmt.Errorf("view %s: %w", local, err))
		}
		if t.views == nil {
			t.views = map[netip.Addr]*table{}
		}
		t.views[addr.Unmap()] = vt
	}
	return errors.Join(errs...)
}

// forLocal is the table for a query that arrived at local.
func (t *table) forLocal(local net.Addr) *table {
	if len(t.views) == 0 || local == nil {
		return t
	}
	var ip net.IP
	switch a := local.(type) {
	case *net.UDPAddr:
		ip = a.IP
	case *net.TCPAddr:
		ip = a.IP
	}
	addr, ok := netip.AddrFromSlice(ip)
	if !ok {
		return t
	}
	if v := t.views[addr.Unmap()]; v != nil {
		return v
	}
	return t
}
