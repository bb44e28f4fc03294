package acm

// Reset forgets every certificate of every account and region, as POST /_emulator/reset asks: requests afterwards see a new
// account.
func (a *API) Reset() { a.stores.Reset() }
