package servicediscovery

// Reset forgets every namespace, service and instance of every account and
// region, as POST /_emulator/reset asks: requests afterwards see a new
// account.
func (a *API) Reset() {
	a.stores.Reset()
	a.dnsChanged() // a new DNS generation: the records are gone
}
