package ssm

import "log/slog"

// Reset forgets every parameter (the bootstrap parameter is seeded again on
// first use), as POST /_emulator/reset asks: requests afterwards see a new
// account.
func (a *API) Reset() {
	a.stores.Reset()
	if err := a.opts.State.Clear(); err != nil {
		slog.Default().Error("ssm: state not cleared", "err", err)
	}
}
