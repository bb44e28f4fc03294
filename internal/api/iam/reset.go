package iam

// Reset forgets every role, user, policy and certificate of every account,
// as POST /_emulator/reset asks: requests afterwards see a new account.
func (a *API) Reset() {
	a.mu.Lock()
	a.accounts = map[string]*Store{}
	a.mu.Unlock()
}
