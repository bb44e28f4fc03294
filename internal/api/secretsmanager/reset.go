package secretsmanager

import "log/slog"

// Reset forgets every secret of every account and region, as POST /_emulator/reset asks: requests afterwards see a new
// account.
func (a *API) Reset() {
	a.stores.Reset()
	if err := a.opts.State.Clear(); err != nil {
		slog.Default().Error("secretsmanager: state not cleared", "err", err)
	}
}
