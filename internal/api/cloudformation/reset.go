package cloudformation

import "context"

// Reset stops the stack operations still running (waiting for them to end)
// and forgets every stack, change set and export, as POST /_emulator/reset
// asks. The resources stacks created are the other services' to reset.
func (a *API) Reset() {
	a.detach() // the operations stopped now leave no records behind
	a.runMu.Lock()
	a.cancel()
	a.ctx, a.cancel = context.WithCancel(context.Background())
	a.runMu.Unlock()
	a.waitOperations()
	a.mu.Lock()
	a.stores = map[string]*store{}
	a.mu.Unlock()
	if err := a.opts.State.Clear(); err != nil {
		a.log.Error("clearing the CloudFormation state", "err", err)
	}
}
