package ecs

// Reset forgets every cluster, service, task and task definition of every
// region, as POST /_emulator/reset asks: requests afterwards see a new
// account.
func (a *API) Reset() {
	a.mu.Lock()
	a.regions = map[string]*Store{}
	a.mu.Unlock()
	if err := a.opts.State.Clear(); err != nil {
		a.opts.Logger.Error("emptying the ECS state directory failed", "err", err)
	}
}
