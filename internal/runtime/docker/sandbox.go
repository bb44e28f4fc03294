package docker

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
)

// Resources of a sandbox: the pause process needs a few pages. The memory
// floor is Docker's minimum limit (6 MiB) with some room; the pids limit
// leaves room for runc's short-lived helpers.
const (
	sandboxMemory    = 8 << 20
	sandboxCPUShares = 2 // the kernel's minimum weight
	sandboxPids      = 8
)

// CreateSandbox creates and starts the container that owns a task's network
// namespace on the task network, and reports the address it got. The task's
// containers then join it with NetworkMode "container:<id>", like awsvpc
// tasks on Fargate, so they reach each other on localhost; they also share
// its hostname and /etc/resolv.conf, which is why DNS is set here. With
// spares (Options.SandboxSpares) it hands out one started ahead of need.
func (r *Runtime) CreateSandbox(ctx context.Context, spec runtime.SandboxSpec) (runtime.Sandbox, error) {
	if r.opts.SandboxSpares <= 0 {
		return r.newSandbox(ctx, spec)
	}
	tmpl := spareSpec(spec)
	defer r.refillAfterStart(tmpl)
	if sb, ok := r.takeSpare(ctx, tmpl, spec); ok {
		return sb, nil
	}
	return r.newSandbox(ctx, spec)
}

// newSandbox creates, connects and starts one sandbox.
func (r *Runtime) newSandbox(ctx context.Context, spec runtime.SandboxSpec) (runtime.Sandbox, error) {
	began := time.Now()
	netID, err := r.ensureNetwork(ctx)
	if err != nil {
		return runtime.Sandbox{}, err
	}
	r.trace(ctx, "find task network", spec.Name, began)
	began = time.Now()
	ref, err := r.ensureSandboxImage(ctx)
	if err != nil {
		return runtime.Sandbox{}, err
	}
	r.trace(ctx, "sandbox image", spec.Name, began)
	opts, err := sandboxCreateOptions(spec, ref, netID)
	if err != nil {
		return runtime.Sandbox{}, r.wrap("create sandbox", spec.Name, err)
	}
	began = time.Now()
	id, err := r.createReplacing(ctx, "create sandbox", opts)
	if err != nil {
		return runtime.Sandbox{}, err
	}
	r.trace(ctx, "create sandbox", spec.Name, began)
	began = time.Now()
	err = r.joinLinkLocal(ctx, id)
	r.trace(ctx, "connect link-local", spec.Name, began)
	var sb runtime.Sandbox
	if err == nil {
		began = time.Now()
		sb, err = r.startSandbox(ctx, id, netID)
		r.trace(ctx, "start and inspect sandbox", spec.Name, began)
	}
	if err != nil {
		// A sandbox that never ran is useless; do not leave it behind.
		_ = r.RemoveContainer(context.WithoutCancel(ctx), id)
		return runtime.Sandbox{}, fmt.Errorf("%w (container %s removed)", err, spec.Name)
	}
	return sb, nil
}

func sandboxCreateOptions(spec runtime.SandboxSpec, image, netID string) (client.ContainerCreateOptions, error) {
	dns, err := parseAddrs(spec.DNS)
	if err != nil {
		return client.ContainerCreateOptions{}, err
	}
	pids := int64(sandboxPids)
	noInit := false
	return client.ContainerCreateOptions{
		Name: spec.Name,
		Config: &container.Config{
			Image:    image,
			Hostname: spec.Hostname,
			Labels:   managedLabels(spec.Labels, runtime.RoleSandbox),
			// The pause process ignores SIGTERM, so a plain stop would wait
			// out the whole timeout; it holds no state worth a graceful stop.
			StopSignal: "SIGKILL",
		},
		HostConfig: &container.HostConfig{
			NetworkMode: container.NetworkMode(netID),
			DNS:         dns,
			ExtraHosts:  spec.ExtraHosts,
			Init:        &noInit, // the pause process is its own init
			Resources: container.Resources{
				Memory:    sandboxMemory,
				CPUShares: sandboxCPUShares,
				PidsLimit: &pids,
			},
		},
		NetworkingConfig: &network.NetworkingConfig{
			EndpointsConfig: map[string]*network.EndpointSettings{netID: {}},
		},
	}, nil
}

// startSandbox starts the sandbox and reads back its address on the task
// network (the engine assigns it at start, not at create).
func (r *Runtime) startSandbox(ctx context.Context, id, netID string) (runtime.Sandbox, error) {
	if err := r.StartContainer(ctx, id); err != nil {
		return runtime.Sandbox{}, err
	}
	ctx, cancel := r.call(ctx)
	defer cancel()
	res, err := r.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return runtime.Sandbox{}, r.wrap("inspect sandbox", id, err)
	}
	return sandboxAddress(res.Container, netID)
}

// sandboxAddress picks the endpoint on the task network. The engine keys
// endpoints by network name; match on the ID we attached by.
func sandboxAddress(c container.InspectResponse, netID string) (runtime.Sandbox, error) {
	if c.NetworkSettings != nil {
		for name, ep := range c.NetworkSettings.Networks {
			if ep == nil || ep.NetworkID != netID || !ep.IPAddress.IsValid() {
				continue
			}
			return runtime.Sandbox{
				ID:         c.ID,
				IP:         ep.IPAddress.String(),
				MACAddress: ep.MacAddress.String(),
				Gateway:    addrString(ep.Gateway),
				Network:    name,
			}, nil
		}
	}
	return runtime.Sandbox{}, fmt.Errorf("sandbox %s has no IPv4 address on network %s", trimName(c.Name), netID)
}

func parseAddrs(ss []string) ([]netip.Addr, error) {
	var out []netip.Addr
	for _, s := range ss {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("DNS server %q: %w", s, err)
		}
		out = append(out, a)
	}
	return out, nil
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}
