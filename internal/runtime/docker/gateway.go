package docker

import (
	"context"
	"fmt"
	"net/netip"
)

// Gateway makes sure the task network exists and returns its IPv4 gateway
// address: the host's address on that network, where task containers can
// reach services the emulator runs on the host (its DNS server).
func (r *Runtime) Gateway(ctx context.Context) (string, error) {
	if _, err := r.ensureNetwork(ctx); err != nil {
		return "", err
	}
	nets, err := r.networksNamed(ctx)
	if err != nil {
		return "", err
	}
	for _, n := range nets {
		for _, c := range n.IPAM.Config {
			if c.Gateway.Is4() {
				return c.Gateway.String(), nil
			}
		}
	}
	return "", fmt.Errorf("network %s has no IPv4 gateway", r.opts.Network)
}

// TaskSubnet returns the task network's IPv4 subnet: the addresses task
// containers (and the gateway) have on it.
func (r *Runtime) TaskSubnet(ctx context.Context) (netip.Prefix, error) {
	if _, err := r.ensureNetwork(ctx); err != nil {
		return netip.Prefix{}, err
	}
	nets, err := r.networksNamed(ctx)
	if err != nil {
		return netip.Prefix{}, err
	}
	for _, n := range nets {
		for _, c := range n.IPAM.Config {
			if c.Subnet.Addr().Is4() {
				return c.Subnet.Masked(), nil
			}
		}
	}
	return netip.Prefix{}, fmt.Errorf("network %s has no IPv4 subnet", r.opts.Network)
}
