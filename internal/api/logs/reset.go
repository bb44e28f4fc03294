package logs

import "log/slog"

// Reset forgets every log group, stream and event of every account and
// region, as POST /_emulator/reset asks: requests afterwards see a new
// account.
func (a *API) Reset() {
	a.stores.Reset()
	if err := a.opts.State.Clear(); err != nil {
		slog.Default().Error("logs: state not cleared", "err", err)
	}
}
