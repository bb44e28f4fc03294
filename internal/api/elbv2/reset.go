package elbv2

// Reset forgets every load balancer, listener, rule and target group of
// every region, as POST /_emulator/reset asks: requests afterwards see a new
// account.
func (a *API) Reset() {
	a.mu.Lock()
	a.regions = map[string]*Store{}
	a.mu.Unlock()
	if err := a.opts.State.Clear(); err != nil {
		a.opts.Logger.Warn("the state directory was not emptied", "err", err)
	}
	if a.opts.OnChange != nil {
		a.opts.OnChange()
	}
}
