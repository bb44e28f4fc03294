package docker

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
)

// The calls below serve the task metadata endpoint, which shows what ECS
// shows from its engine: stats, image IDs, creation times, the subnet.

// ContainerStats returns the engine's stats document of a container. It
// takes two samples a second apart so the "precpu" deltas are filled in,
// as they are on ECS (which asks containers to run about a second first).
func (r *Runtime) ContainerStats(ctx context.Context, id string) (json.RawMessage, error) {
	cctx, cancel := r.call(ctx)
	defer cancel()
	res, err := r.cli.ContainerStats(cctx, id, client.ContainerStatsOptions{IncludePreviousSample: true})
	if err != nil {
		return nil, r.wrap("container stats", shortID(id), err)
	}
	defer res.Body.Close()
	var doc json.RawMessage
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&doc); err != nil {
		return nil, r.wrap("container stats", shortID(id), err)
	}
	return doc, nil
}

// ContainerFacts are what the engine knows of a container beyond its
// state: its image ID (sha256:…) and when it was created.
type ContainerFacts struct {
	runtime.ContainerState
	ImageID   string
	CreatedAt time.Time
}

// ContainerFacts inspects a container for the metadata endpoint.
func (r *Runtime) ContainerFacts(ctx context.Context, id string) (ContainerFacts, error) {
	cctx, cancel := r.call(ctx)
	defer cancel()
	res, err := r.cli.ContainerInspect(cctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return ContainerFacts{}, r.wrap("inspect container", shortID(id), err)
	}
	c := res.Container
	return ContainerFacts{ContainerState: stateFromInspect(c), ImageID: c.Image, CreatedAt: parseEngineTime(c.Created)}, nil
}

// Subnet returns the task network's IPv4 subnet and gateway, e.g.
// 172.18.0.0/16 and 172.18.0.1.
func (r *Runtime) Subnet(ctx context.Context) (subnet, gateway string, err error) {
	nets, err := r.networksNamed(ctx)
	if err != nil {
		return "", "", err
	}
	for _, n := range nets {
		for _, c := range n.IPAM.Config {
			if c.Subnet.Addr().Is4() {
				return c.Subnet.String(), addrString(c.Gateway), nil
			}
		}
	}
	return "", "", fmt.Errorf("network %s has no IPv4 subnet", r.opts.Network)
}
