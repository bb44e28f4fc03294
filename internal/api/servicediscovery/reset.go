package servicediscovery

// Reset forgets every namespace, service and instance of every account and
// region, as POST /_emulator/reset asks: requests afterwards see a new
// account. The state directory is emptied too (a failure is logged and
// shown by the health endpoint).
func (a *API) Reset() {
	a.stores.Reset()
	_ = a.opts.State.Clear()
	a.dnsChanged() // a new DNS generation: the records are gone
}
