package app

import (
	"crypto/rand"
	"encoding/json"
)

// taskEndpointKey is the key of the credential IDs and tokens in task
// containers' environment (taskmeta.Options.Secret). With a state
// directory it is drawn once and kept there, so containers adopted after a
// restart keep working credentials and metadata URLs; without one it is
// drawn at each start (nil: taskmeta draws it).
func (a *App) taskEndpointKey() []byte {
	b := a.State.Bucket("emulator")
	if b == nil {
		return nil
	}
	var key []byte
	_ = b.LoadPrefix("task-endpoint-key", func(_ string, v []byte) error { return json.Unmarshal(v, &key) })
	if len(key) == 32 {
		return key
	}
	key = make([]byte, 32)
	_, _ = rand.Read(key)
	batch := b.Batch()
	batch.Put("task-endpoint-key", key)
	if err := batch.Commit().Wait(); err != nil {
		a.log.Warn("the task endpoint key could not be stored: containers adopted after a restart will not reach their credentials", "err", err)
	}
	return key
}
