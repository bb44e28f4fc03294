package docker

import (
	"context"
	"slices"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
)

// ensureNetwork finds or creates the task network and returns its ID.
// Sandboxes join it by ID: engines before API 1.44 allow two networks with
// one name, and a name would then be ambiguous. It looks the network up on
// every call (one cheap request) so a network someone removed is re-created
// rather than cached as a dangling ID.
func (r *Runtime) ensureNetwork(ctx context.Context) (string, error) {
	// Old engines do not reject a duplicate name, so concurrent creators
	// in this process must not race between "not found" and "create".
	r.netMu.Lock()
	defer r.netMu.Unlock()
	if id, err := r.findNetwork(ctx); err != nil || id != "" {
		return id, err
	}
	id, err := r.createNetwork(ctx)
	if cerrdefs.IsConflict(err) || cerrdefs.IsAlreadyExists(err) {
		// Another process won the race; use its network.
		return r.findNetwork(ctx)
	}
	return id, err
}

// findNetwork returns the ID of the network named opts.Network, or "".
func (r *Runtime) findNetwork(ctx context.Context) (string, error) {
	nets, err := r.networksNamed(ctx)
	if err != nil || len(nets) == 0 {
		return "", err
	}
	return nets[0].ID, nil
}

// networksNamed lists networks with exactly the task network's name, in a
// stable order (the engine's name filter also matches substrings).
func (r *Runtime) networksNamed(ctx context.Context) ([]network.Summary, error) {
	cctx, cancel := r.call(ctx)
	defer cancel()
	res, err := r.cli.NetworkList(cctx, client.NetworkListOptions{
		Filters: make(client.Filters).Add("name", r.opts.Network),
	})
	if err != nil {
		return nil, r.wrap("list networks", r.opts.Network, err)
	}
	nets := slices.DeleteFunc(res.Items, func(n network.Summary) bool { return n.Name != r.opts.Network })
	slices.SortFunc(nets, func(a, b network.Summary) int { return strings.Compare(a.ID, b.ID) })
	return nets, nil
}

func (r *Runtime) createNetwork(ctx context.Context) (string, error) {
	cctx, cancel := r.call(ctx)
	defer cancel()
	res, err := r.cli.NetworkCreate(cctx, r.opts.Network, client.NetworkCreateOptions{
		Driver: "bridge",
		Labels: map[string]string{runtime.LabelManaged: "true"},
	})
	if err != nil {
		return "", r.wrap("create network", r.opts.Network, err)
	}
	r.log.InfoContext(ctx, "created task network", "op", "create network", "network", r.opts.Network, "id", res.ID)
	return res.ID, nil
}

// RemoveNetwork removes the task network at shutdown so the emulator
// leaves nothing behind. It keeps a network that still has containers
// attached (tasks left running on purpose) and one the emulator did not
// create (an operator's own network with a chosen subnet); both are not
// errors. A missing network is not an error either.
func (r *Runtime) RemoveNetwork(ctx context.Context) error {
	r.netMu.Lock()
	defer r.netMu.Unlock()
	if err := r.removeAddresses(ctx); err != nil {
		r.log.WarnContext(ctx, "removing address networks failed", "op", "remove network", "err", err)
	}
	if err := r.removeLinkLocal(ctx); err != nil {
		// Shared with other emulators: one may be connecting a task now.
		r.log.DebugContext(ctx, "link-local network kept", "op", "remove network", "err", err)
	}
	nets, err := r.networksNamed(ctx)
	if err != nil {
		return err
	}
	for _, n := range nets {
		if n.Labels[runtime.LabelManaged] != "true" {
			continue
		}
		if err := r.removeIdleNetwork(ctx, n.ID, r.opts.Network, inUseChecks); err != nil {
			return err
		}
	}
	return nil
}

// inUseChecks bounds how long removeIdleNetwork waits for the endpoints of
// containers just removed to go: the engine can list one for a moment after
// the remove call has returned.
const (
	inUseChecks = 10
	inUsePause  = 200 * time.Millisecond
)

// removeIdleNetwork removes a network no container uses. checks > 1 waits
// for endpoints to go (the emulator's own network, whose containers were
// just removed); 1 leaves a network in use at once (one shared with other
// emulators).
func (r *Runtime) removeIdleNetwork(ctx context.Context, id, name string, checks int) error {
	for check := 1; ; check++ {
		n, err := r.networkEndpoints(ctx, id, name)
		if err != nil || n < 0 {
			return err // gone already (n < 0) or not inspectable
		}
		if n == 0 {
			break
		}
		if check >= checks {
			r.log.InfoContext(ctx, "network still in use; leaving it", "op", "remove network", "network", name, "containers", n)
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(inUsePause):
		}
	}
	cctx, cancel := r.call(ctx)
	defer cancel()
	_, err := r.cli.NetworkRemove(cctx, id, client.NetworkRemoveOptions{})
	if err != nil && !cerrdefs.IsNotFound(err) {
		return r.wrap("remove network", name, err)
	}
	return nil
}

// networkEndpoints is how many containers a network has, -1 when it is gone.
func (r *Runtime) networkEndpoints(ctx context.Context, id, name string) (int, error) {
	cctx, cancel := r.call(ctx)
	defer cancel()
	res, err := r.cli.NetworkInspect(cctx, id, client.NetworkInspectOptions{})
	if cerrdefs.IsNotFound(err) {
		return -1, nil
	}
	if err != nil {
		return 0, r.wrap("inspect network", name, err)
	}
	return len(res.Network.Containers), nil
}
