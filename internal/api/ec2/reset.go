package ec2

// Reset takes every region back to a new account (the default VPC is seeded
// again on first use), as POST /_emulator/reset asks: requests afterwards
// see a new account.
func (a *API) Reset() {
	a.mu.Lock()
	a.regions = map[string]*Store{}
	a.mu.Unlock()
	if err := a.opts.State.Clear(); err != nil {
		a.opts.Logger.Error("ec2: state not cleared", "err", err)
	}
}
