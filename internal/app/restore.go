package app

import (
	"fmt"
	"log/slog"
	"sort"

	"github.com/localaws/ecsemu/internal/config"
	"github.com/localaws/ecsemu/internal/state"
)

// openState opens the state directory, or returns a nil store (which keeps
// nothing) when none is configured.
func openState(cfg config.Config, log *slog.Logger) (*state.DB, error) {
	if cfg.StateDir == "" {
		return nil, nil
	}
	db, err := state.Open(cfg.StateDir, state.Options{Fsync: cfg.StateFsync, Logger: log})
	if err != nil {
		return nil, err
	}
	log.Info("state directory open", "file", db.Path(), "fsync", cfg.StateFsync)
	return db, nil
}

// restorer is a service API that reloads its resources from the state
// directory. Restore runs once, before the endpoint serves and before the
// reconciler starts; a record it cannot read is an error, so the emulator
// refuses to start rather than silently lose state.
type restorer interface{ Restore() error }

// restore reloads every service, CloudFormation last: its stacks in
// progress continue against the other services' restored resources.
func (a *App) restore() error {
	if a.State == nil {
		return nil
	}
	services := a.services()
	sort.SliceStable(services, func(i, j int) bool {
		return services[j].Spec.Name == "cloudformation" && services[i].Spec.Name != "cloudformation"
	})
	for _, svc := range services {
		for _, h := range []any{svc.JSON, svc.Query, svc.REST} {
			r, ok := h.(restorer)
			if !ok {
				continue
			}
			if err := r.Restore(); err != nil {
				return fmt.Errorf("restoring %s from %s: %w", svc.Spec.Name, a.State.Path(), err)
			}
			break
		}
	}
	return nil
}
