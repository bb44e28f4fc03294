package app

import (
	"context"
	"fmt"
	"slices"
	"sort"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/api/elbv2"
	"github.com/localaws/ecsemu/internal/api/servicediscovery"
	"github.com/localaws/ecsemu/internal/server"
)

// resetter is a service API whose state can be emptied.
type resetter interface{ Reset() }

// UnknownServiceError names a service Reset was asked for that the
// endpoint does not serve.
type UnknownServiceError struct{ Name string }

func (e *UnknownServiceError) Error() string {
	return fmt.Sprintf("no service %q to reset", e.Name)
}

// Reset empties the state of the named services (every service when none
// is named) in every region, and removes what they had started: task
// containers for ECS, listeners for ELBv2, DNS records for Cloud Map. It
// returns when that is done. CloudFormation goes first, so that no stack
// operation creates resources while the others are emptied. A reset of one
// service leaves the others' records of it (targets, instances) alone.
func (a *App) Reset(ctx context.Context, names []string) error {
	services, err := a.resetOrder(names)
	if err != nil {
		return err
	}
	for _, svc := range services {
		if r, ok := resetterOf(svc); ok {
			r.Reset()
		}
	}
	picked := func(name string) bool {
		return slices.ContainsFunc(services, func(s server.Service) bool { return s.Spec.Name == name })
	}
	if picked(ecsapi.Spec.Name) {
		a.Reconciler.RemoveAll(ctx)
	}
	if picked(elbv2.Spec.Name) {
		a.lbs.reset(ctx)
	}
	if picked(servicediscovery.Spec.Name) || picked(elbv2.Spec.Name) {
		if a.DNS != nil {
			a.syncDNS()
		}
	}
	a.log.Info("state reset", "services", len(services))
	return nil
}

// resetOrder is the services to reset, CloudFormation first.
func (a *App) resetOrder(names []string) ([]server.Service, error) {
	all := a.services()
	var out []server.Service
	if len(names) == 0 {
		out = all
	} else {
		for _, n := range names {
			i := slices.IndexFunc(all, func(s server.Service) bool { return s.Spec.Name == n })
			if i < 0 {
				return nil, &UnknownServiceError{Name: n}
			}
			out = append(out, all[i])
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Spec.Name == "cloudformation" && out[j].Spec.Name != "cloudformation"
	})
	return out, nil
}

func resetterOf(svc server.Service) (resetter, bool) {
	for _, h := range []any{svc.JSON, svc.Query, svc.REST} {
		if r, ok := h.(resetter); ok {
			return r, true
		}
	}
	return nil, false
}
