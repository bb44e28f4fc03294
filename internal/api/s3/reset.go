package s3

import "log/slog"

// Reset deletes every bucket with its objects, as POST /_emulator/reset
// asks; the bootstrap bucket is created again on first use.
func (a *API) Reset() {
	a.forget()
	if err := a.opts.State.Clear(); err != nil {
		slog.Default().Error("s3: state not cleared", "err", err)
	}
}

// forget drops every bucket from memory.
func (a *API) forget() {
	a.reg.mu.Lock()
	names := make([]string, 0, len(a.reg.buckets))
	for name := range a.reg.buckets {
		names = append(names, name)
	}
	a.reg.buckets = map[string]*bucket{}
	a.reg.mu.Unlock()
	// Buckets created around the registry (none should be) go as well.
	if infos, err := a.backend.ListBuckets(); err == nil {
		for _, b := range infos {
			names = append(names, b.Name)
		}
	}
	for _, name := range names {
		_ = a.backend.ForceDeleteBucket(name) // already gone when listed twice
	}
	a.seedMu.Lock()
	a.seeded = map[string]bool{}
	a.seedMu.Unlock()
}
