package app

import (
	"context"
	"time"
)

// Crash stops the emulator the way kill -9 would leave things: endpoint,
// listeners, DNS and background work stop, but no task container is
// removed, no service is told, and nothing more is saved than what was
// already committed. Tests use it to rehearse a restart with a state
// directory in-process; a real kill -9 is rehearsed by e2e/restart.sh.
func (a *App) Crash() {
	_ = a.httpSrv.Close()
	<-a.done
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a.cancelRun()
	a.stopTasks(ctx)
	a.taskEP.shutdown(ctx)
	a.CFN.Close()
	a.Reconciler.Wait()
	a.Ships.Wait()
	_ = a.lbs.data.Shutdown(ctx)
	if a.DNS != nil {
		_ = a.DNS.Shutdown(ctx)
	}
	_ = a.Runtime.Close()
	_ = a.State.Close()
}
