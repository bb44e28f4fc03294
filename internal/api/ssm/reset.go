package ssm

// Reset forgets every parameter (the bootstrap parameter is seeded again on
// first use), as POST /_emulator/reset asks: requests afterwards see a new
// account.
func (a *API) Reset() { a.stores.Reset() }
