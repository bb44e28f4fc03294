package docker

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
)

// The link-local network gives task containers an address the caller
// chooses (ECS serves task metadata and task-role credentials on
// 169.254.170.2, a fact the taskmeta package owns): SDKs
// accept a credentials URL over plain HTTP only on loopback or on that
// address (and EKS's), never on a private address such as the task
// network's gateway. A bridge network's gateway is the host's own address
// on it, so a network with gateway 169.254.170.2 puts that address on the
// host, where the emulator listens, without touching the host's routes or
// firewall. Two networks cannot share a subnet, so every emulator on one
// engine shares this one; it is internal (no route out) and its
// containers cannot reach each other over it (enable_icc=false).
const LinkLocalNetwork = "ecs-emulator-link-local"

// EnableLinkLocal finds or creates the link-local network whose gateway
// (the host's address on it) is gateway, in the /24 around it, and has
// every sandbox created from now on join it. An engine that refuses the
// network (its subnet is taken by another network) is an error; sandboxes
// then do not join.
func (r *Runtime) EnableLinkLocal(ctx context.Context, gateway string) error {
	gw, err := netip.ParseAddr(gateway)
	if err != nil || !gw.Is4() || !gw.IsLinkLocalUnicast() {
		return fmt.Errorf("link-local network: %q is not a link-local IPv4 address", gateway)
	}
	r.netMu.Lock()
	defer r.netMu.Unlock()
	r.linkLocalGW = gw
	if _, err := r.ensureLinkLocal(ctx); err != nil {
		return err
	}
	r.linkLocal.Store(true)
	return nil
}

// ensureLinkLocal returns the network's ID, creating it when missing.
// Callers hold netMu.
func (r *Runtime) ensureLinkLocal(ctx context.Context) (string, error) {
	if id, err := r.findLinkLocal(ctx); err != nil || id != "" {
		return id, err
	}
	cctx, cancel := r.call(ctx)
	defer cancel()
	res, err := r.cli.NetworkCreate(cctx, LinkLocalNetwork, client.NetworkCreateOptions{
		Driver:   "bridge",
		Internal: true,
		IPAM: &network.IPAM{Config: []network.IPAMConfig{{
			Subnet:  netip.PrefixFrom(r.linkLocalGW, 24).Masked(),
			Gateway: r.linkLocalGW,
		}}},
		Options: map[string]string{"com.docker.network.bridge.enable_icc": "false"},
		Labels:  map[string]string{runtime.LabelManaged: "true"},
	})
	if cerrdefs.IsConflict(err) || cerrdefs.IsAlreadyExists(err) {
		return r.findLinkLocal(ctx) // another emulator created it meanwhile
	}
	if err != nil {
		return "", r.wrap("create network", LinkLocalNetwork, err)
	}
	r.log.InfoContext(ctx, "created the link-local task network", "op", "create network", "network", LinkLocalNetwork, "id", res.ID)
	return res.ID, nil
}

// findLinkLocal returns the ID of the link-local network, or "". A network
// of that name without the expected gateway is not used.
func (r *Runtime) findLinkLocal(ctx context.Context) (string, error) {
	cctx, cancel := r.call(ctx)
	defer cancel()
	res, err := r.cli.NetworkList(cctx, client.NetworkListOptions{
		Filters: make(client.Filters).Add("name", LinkLocalNetwork),
	})
	if err != nil {
		return "", r.wrap("list networks", LinkLocalNetwork, err)
	}
	nets := slices.DeleteFunc(res.Items, func(n network.Summary) bool { return n.Name != LinkLocalNetwork })
	slices.SortFunc(nets, func(a, b network.Summary) int { return strings.Compare(a.ID, b.ID) })
	for _, n := range nets {
		for _, c := range n.IPAM.Config {
			if c.Gateway == r.linkLocalGW {
				return n.ID, nil
			}
		}
	}
	if len(nets) > 0 {
		return "", fmt.Errorf("network %s exists without gateway %s", LinkLocalNetwork, r.linkLocalGW)
	}
	return "", nil
}

// joinLinkLocal connects a created sandbox to the link-local network, when
// enabled. The engine (API < 1.44) takes one network at create, so this is
// a second call; the task network, joined first, keeps the default route.
// Another emulator may remove the shared network when it shuts down, so a
// network that vanished is created again once.
func (r *Runtime) joinLinkLocal(ctx context.Context, sandboxID string) error {
	if !r.linkLocal.Load() {
		return nil
	}
	var err error
	for range 2 {
		r.netMu.Lock()
		var id string
		id, err = r.ensureLinkLocal(ctx)
		r.netMu.Unlock()
		if err != nil {
			return err
		}
		cctx, cancel := r.call(ctx)
		_, err = r.cli.NetworkConnect(cctx, id, client.NetworkConnectOptions{Container: sandboxID})
		cancel()
		if !cerrdefs.IsNotFound(err) {
			break
		}
	}
	return r.wrap("connect sandbox", LinkLocalNetwork, err)
}

// removeLinkLocal removes the link-local network at shutdown if no
// container (of any emulator) is attached to it any more.
func (r *Runtime) removeLinkLocal(ctx context.Context) error {
	if !r.linkLocal.Load() {
		return nil
	}
	id, err := r.findLinkLocal(ctx)
	if err != nil || id == "" {
		return err
	}
	return r.removeIdleNetwork(ctx, id, LinkLocalNetwork, 1)
}
