package ec2

// Reset takes every region back to a new account (the default VPC is seeded
// again on first use), as POST /_emulator/reset asks: requests afterwards
// see a new account.
func (a *API) Reset() {
	a.mu.Lock()
	a.regions = map[string]*Store{}
	a.mu.Unlock()
}
