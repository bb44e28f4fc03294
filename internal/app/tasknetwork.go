package app

import (
	"context"
	"time"

	"github.com/localaws/ecsemu/internal/runtime/docker"
)

// taskNet is the task network as the services the emulator offers tasks
// on it (DNS, the AWS endpoint, the metadata endpoint) need to know it.
type taskNet struct {
	looked  bool
	gateway string // the host's address on the task network; "" without one
	subnet  string // e.g. 172.18.0.0/16
}

// taskNetwork makes sure the task network exists and returns its gateway
// and subnet, looked up once; both are "" without a Docker engine.
func (a *App) taskNetwork(ctx context.Context) taskNet {
	if a.tnet.looked {
		return a.tnet
	}
	a.tnet.looked = true
	drt, ok := a.Runtime.(*docker.Runtime)
	if !ok {
		return a.tnet
	}
	// Not cancelled by a shutdown that begins meanwhile: the engine would
	// finish a create whose request was abandoned, and the shutdown, which
	// waits for this, would not know to remove the network.
	gctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	gw, err := drt.Gateway(gctx)
	if err != nil {
		a.log.Warn("the task network is not available: tasks get neither DNS nor the AWS endpoint from the emulator", "err", err)
		return a.tnet
	}
	a.tnet.gateway = gw
	if subnet, _, err := drt.Subnet(gctx); err == nil {
		a.tnet.subnet = subnet
	}
	return a.tnet
}
