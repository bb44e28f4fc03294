// Package state is the emulator's state directory: an embedded, crash-safe
// store (one bbolt file) in which every service keeps its resources, so
// that they survive a restart or a kill -9.
//
// Each service writes through its own Bucket. Writes are collected in a
// Batch while the service holds its own lock, so the store sees them in the
// order the service made them, and committed by one writer goroutine that
// groups the batches waiting at that moment into one transaction. A caller
// acknowledges its request only after Pending.Wait returns.
package state

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SchemaVersion is the layout of the records this emulator writes. A
// change that an older emulator could not read bumps it, with a migration
// in migrate.go for state directories written by older versions.
const SchemaVersion = 1

// FileName is the store's file inside the state directory.
const FileName = "state.db"

var (
	metaBucket = []byte("_meta")
	schemaKey  = []byte("schema")
)

// Options tune the store.
type Options struct {
	// Fsync makes every commit wait for the disk. Without it a commit is
	// safe from a crash or kill -9 of the emulator (the data is in the
	// operating system's cache) but not from a power loss.
	Fsync  bool
	Logger *slog.Logger
}

// DB is an open state directory. A nil *DB is a store that keeps nothing:
// every method works and does nothing, so services need no special case
// when no state directory is configured.
type DB struct {
	bolt  *bolt.DB
	log   *slog.Logger
	queue chan *Batch
	done  chan struct{}

	sendMu sync.RWMutex // held for reading while a batch is queued
	closed bool

	mu      sync.Mutex
	lastErr error
	errAt   time.Time
}

// Open opens (or creates) the state directory dir. It refuses a directory
// written by a newer emulator, one in use by another emulator, and a
// damaged file, each with a message saying what to do.
func Open(dir string, opts Options) (*DB, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("state directory %s: %w", dir, err)
	}
	path := filepath.Join(dir, FileName)
	b, err := openBolt(path, opts)
	if err != nil {
		return nil, err
	}
	if err := checkSchema(b, path); err != nil {
		_ = b.Close()
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	db := &DB{bolt: b, log: log, queue: make(chan *Batch, 256), done: make(chan struct{})}
	go db.write()
	return db, nil
}

// openBolt opens the file, turning bbolt's failures (a lock held by another
// process, a damaged file, which bbolt may report by panicking) into errors
// that name the file.
func openBolt(path string, opts Options) (b *bolt.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, damaged(path, fmt.Errorf("%v", r))
		}
	}()
	b, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, NoSync: !opts.Fsync, NoFreelistSync: true, FreelistType: bolt.FreelistMapType})
	switch {
	case errors.Is(err, bolt.ErrTimeout):
		return nil, fmt.Errorf("state file %s is in use by another emulator; stop it or choose another --state-dir", path)
	case err != nil:
		return nil, damaged(path, err)
	}
	return b, nil
}

// ErrClosed is the result of a batch committed after Close.
var ErrClosed = errors.New("state store closed")

// enqueue hands a batch to the writer unless the store is closed.
func (db *DB) enqueue(t *Batch) bool {
	db.sendMu.RLock()
	defer db.sendMu.RUnlock()
	if db.closed {
		return false
	}
	db.queue <- t
	return true
}

// damaged is the error for a state file the emulator cannot read.
func damaged(path string, cause error) error {
	return &DamagedError{Path: path, Cause: cause}
}

// DamagedError reports a state file that cannot be read.
type DamagedError struct {
	Path  string
	Cause error
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("state file %s is damaged (%v); move it away to start with an empty state, or restore a copy", e.Path, e.Cause)
}

func (e *DamagedError) Unwrap() error { return e.Cause }

// Close commits what is queued and closes the file. A batch committed
// after Close fails with ErrClosed.
func (db *DB) Close() error {
	if db == nil {
		return nil
	}
	db.sendMu.Lock()
	if !db.closed {
		db.closed = true
		close(db.queue)
	}
	db.sendMu.Unlock()
	<-db.done
	return db.bolt.Close()
}

// Path is the store's file ("" without a state directory).
func (db *DB) Path() string {
	if db == nil {
		return ""
	}
	return db.bolt.Path()
}

// LastError is the most recent failed commit and when it happened, for the
// health report (nil when every commit since the start succeeded).
func (db *DB) LastError() (error, time.Time) {
	if db == nil {
		return nil, time.Time{}
	}
	db.mu.Lock()
	defer db.mu.Unlock()
	return db.lastErr, db.errAt
}

func (db *DB) failed(err error) {
	db.mu.Lock()
	db.lastErr, db.errAt = err, time.Now()
	db.mu.Unlock()
	db.log.Error("state not saved", "file", db.Path(), "err", err)
}
