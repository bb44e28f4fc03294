package docker

import (
	"context"
	"fmt"
	"net/netip"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
)

// Host addresses that task containers reach. Containers cannot reach the
// host's loopback, and only root may add addresses to the host; but the
// engine puts every network's gateway on the host, and a container reaches
// any host address through its own gateway. So an empty internal network
// per address gives the host one more address tasks can call, without
// touching the host's routes or firewall (a load balancer's listeners bind
// there, so two can serve port 80).

// labelAddressOf marks an address network with the task network it
// serves, so that shutdown removes exactly this emulator's.
const labelAddressOf = "ecs-emulator.address-of"

// AddAddress returns the host address named name (a load balancer, say),
// creating its network on first use: the gateway of the first free /30 of
// pool. Subnets other networks hold (another emulator's) are skipped.
func (r *Runtime) AddAddress(ctx context.Context, name string, pool netip.Prefix) (string, error) {
	netName := r.addressNetwork(name)
	if gw, err := r.addressOf(ctx, netName); err != nil || gw != "" {
		return gw, err
	}
	for subnet := netip.PrefixFrom(pool.Masked().Addr(), 30); pool.Contains(subnet.Addr()); subnet = nextSubnet(subnet) {
		gw := subnet.Addr().Next()
		err := r.createAddressNetwork(ctx, netName, subnet, gw)
		if err == nil {
			return gw.String(), nil
		}
		if cerrdefs.IsConflict(err) || cerrdefs.IsAlreadyExists(err) {
			return r.addressOf(ctx, netName) // created concurrently
		}
		if !strings.Contains(err.Error(), "overlap") {
			return "", r.wrap("create network", netName, err)
		}
	}
	return "", fmt.Errorf("no free /30 left in %s for %s", pool, netName)
}

// RemoveAddress removes the network of a named address; a missing one is
// not an error.
func (r *Runtime) RemoveAddress(ctx context.Context, name string) error {
	cctx, cancel := r.call(ctx)
	defer cancel()
	_, err := r.cli.NetworkRemove(cctx, r.addressNetwork(name), client.NetworkRemoveOptions{})
	if err != nil && !cerrdefs.IsNotFound(err) {
		return r.wrap("remove network", r.addressNetwork(name), err)
	}
	return nil
}

// removeAddresses removes every address network of this emulator (at
// shutdown, from RemoveNetwork).
func (r *Runtime) removeAddresses(ctx context.Context) error {
	cctx, cancel := r.call(ctx)
	defer cancel()
	res, err := r.cli.NetworkList(cctx, client.NetworkListOptions{
		Filters: make(client.Filters).Add("label", labelAddressOf+"="+r.opts.Network),
	})
	if err != nil {
		return r.wrap("list networks", r.opts.Network, err)
	}
	for _, n := range res.Items {
		if _, err := r.cli.NetworkRemove(cctx, n.ID, client.NetworkRemoveOptions{}); err != nil && !cerrdefs.IsNotFound(err) {
			return r.wrap("remove network", n.Name, err)
		}
	}
	return nil
}

func (r *Runtime) addressNetwork(name string) string { return r.opts.Network + "-addr-" + name }

// addressOf returns the gateway of an existing address network, or "".
func (r *Runtime) addressOf(ctx context.Context, netName string) (string, error) {
	cctx, cancel := r.call(ctx)
	defer cancel()
	res, err := r.cli.NetworkInspect(cctx, netName, client.NetworkInspectOptions{})
	if cerrdefs.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", r.wrap("inspect network", netName, err)
	}
	for _, c := range res.Network.IPAM.Config {
		if c.Gateway.Is4() {
			return c.Gateway.String(), nil
		}
	}
	return "", fmt.Errorf("network %s has no IPv4 gateway", netName)
}

func (r *Runtime) createAddressNetwork(ctx context.Context, netName string, subnet netip.Prefix, gw netip.Addr) error {
	cctx, cancel := r.call(ctx)
	defer cancel()
	_, err := r.cli.NetworkCreate(cctx, netName, client.NetworkCreateOptions{
		Driver:   "bridge",
		Internal: true,
		IPAM:     &network.IPAM{Config: []network.IPAMConfig{{Subnet: subnet, Gateway: gw}}},
		Labels:   map[string]string{runtime.LabelManaged: "true", labelAddressOf: r.opts.Network},
	})
	return err
}

// nextSubnet is the /30 after p.
func nextSubnet(p netip.Prefix) netip.Prefix {
	a := p.Addr().As4()
	n := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	n += 4
	return netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), 30)
}
