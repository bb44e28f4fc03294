package docker

import (
	"context"
	"fmt"
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
