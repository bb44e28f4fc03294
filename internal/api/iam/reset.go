package iam

import "log/slog"

// Reset forgets every role, user, policy and certificate of every account,
// as POST /_emulator/reset asks: requests afterwards see a new account.
func (a *API) Reset() {
	a.mu.Lock()
	a.accounts = map[string]*Store{}
	a.mu.Unlock()
	if err := a.opts.State.Clear(); err != nil {
		slog.Default().Error("iam: state not cleared", "err", err)
	}
}
