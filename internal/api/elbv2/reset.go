package elbv2

// Reset forgets every load balancer, listener, rule and target group of
// every region, as POST /_emulator/reset asks: requests afterwards see a new
// account.
func (a *API) Reset() {
	a.mu.Lock()
	a.regions = map[string]*Store{}
	a.mu.Unlock()
	if a.opts.OnChange != nil {
		a.opts.OnChange()
	}
}
