package state

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

type record struct {
	Name string
	N    int
}

func open(t *testing.T, dir string) *DB {
	t.Helper()
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func load(t *testing.T, b *Bucket) map[string]record {
	t.Helper()
	out := map[string]record{}
	if err := b.Load(func(k string, v []byte) error {
		var r record
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		out[k] = r
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWritesSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	b := db.Bucket("ecs")
	batch := b.Batch()
	batch.Put("cluster/a", record{"a", 1})
	batch.Put("cluster/b", record{"b", 2})
	batch.Put("task/x", record{"x", 3})
	if err := batch.Commit().Wait(); err != nil {
		t.Fatal(err)
	}
	batch = b.Batch()
	batch.Delete("cluster/b")
	batch.Put("cluster/a", record{"a", 10})
	if err := batch.Commit().Wait(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	db = open(t, dir)
	defer db.Close()
	got := load(t, db.Bucket("ecs"))
	want := map[string]record{"cluster/a": {"a", 10}, "task/x": {"x", 3}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after reopen: %v, want %v", got, want)
	}
	if other := load(t, db.Bucket("elbv2")); len(other) != 0 {
		t.Fatalf("another service's bucket has %v", other)
	}
}

func TestDeletePrefix(t *testing.T) {
	db := open(t, t.TempDir())
	defer db.Close()
	b := db.Bucket("ssm")
	batch := b.Batch()
	for _, k := range []string{"us-east-1/a", "us-east-1/b", "us-east-2/a", "us-east-10/a"} {
		batch.Put(k, record{Name: k})
	}
	_ = batch.Commit().Wait()
	batch = b.Batch()
	batch.DeletePrefix("us-east-1/")
	_ = batch.Commit().Wait()
	got := load(t, b)
	if len(got) != 2 || got["us-east-2/a"].Name == "" || got["us-east-10/a"].Name == "" {
		t.Fatalf("after DeletePrefix: %v", got)
	}
	batch = b.Batch()
	batch.DeletePrefix("")
	_ = batch.Commit().Wait()
	if got := load(t, b); len(got) != 0 {
		t.Fatalf("after emptying: %v", got)
	}
}

// Concurrent writers that commit under their own lock reach the store in
// that lock's order: the last value written to a key is the one kept.
func TestConcurrentCommitsKeepTheirOrder(t *testing.T) {
	db := open(t, t.TempDir())
	defer db.Close()
	b := db.Bucket("ecs")
	var mu sync.Mutex
	last := map[string]int{}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				key := fmt.Sprintf("k%d", (w*7+i)%5)
				mu.Lock()
				n := w*1000 + i
				last[key] = n
				batch := b.Batch()
				batch.Put(key, record{key, n})
				p := batch.Commit()
				mu.Unlock()
				if err := p.Wait(); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	got := load(t, b)
	for k, n := range last {
		if got[k].N != n {
			t.Errorf("%s = %d, want the last write %d", k, got[k].N, n)
		}
	}
}

func TestNilStoreKeepsNothing(t *testing.T) {
	var db *DB
	b := db.Bucket("ecs")
	if b.Enabled() {
		t.Fatal("nil store says it keeps writes")
	}
	batch := b.Batch()
	batch.Put("k", record{})
	if err := batch.Commit().Wait(); err != nil {
		t.Fatal(err)
	}
	calls := 0
	if err := b.Load(func(string, []byte) error { calls++; return nil }); err != nil || calls != 0 {
		t.Fatalf("Load on nil store: %v, %d calls", err, calls)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCommitAfterCloseFails(t *testing.T) {
	db := open(t, t.TempDir())
	b := db.Bucket("ecs")
	_ = db.Close()
	batch := b.Batch()
	batch.Put("k", record{})
	if err := batch.Commit().Wait(); !errors.Is(err, ErrClosed) {
		t.Fatalf("commit after close: %v, want ErrClosed", err)
	}
}

func TestUnencodableValueFailsTheBatch(t *testing.T) {
	db := open(t, t.TempDir())
	defer db.Close()
	batch := db.Bucket("ecs").Batch()
	batch.Put("k", func() {})
	if err := batch.Commit().Wait(); err == nil || !strings.Contains(err.Error(), "ecs/k") {
		t.Fatalf("unencodable value: %v", err)
	}
	if err, _ := db.LastError(); err == nil {
		t.Fatal("the failure is not reported for health")
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	_ = db.Close()
	setSchema(t, dir, "99")
	_, err := Open(dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "newer emulator (schema 99") {
		t.Fatalf("newer schema: %v", err)
	}
}

func TestUnreadableSchemaIsDamaged(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	_ = db.Close()
	setSchema(t, dir, "x")
	_, err := Open(dir, Options{})
	var d *DamagedError
	if !errors.As(err, &d) {
		t.Fatalf("garbage schema: %v, want DamagedError", err)
	}
}

func setSchema(t *testing.T, dir, v string) {
	t.Helper()
	b, err := bolt.Open(filepath.Join(dir, FileName), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Update(func(tx *bolt.Tx) error { return tx.Bucket(metaBucket).Put(schemaKey, []byte(v)) }); err != nil {
		t.Fatal(err)
	}
}

func TestGarbageFileIsDamaged(t *testing.T) {
	for name, content := range map[string][]byte{
		"text":      []byte(strings.Repeat("not a database\n", 1000)),
		"truncated": nil,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if content == nil {
				db := open(t, dir)
				b := db.Bucket("ecs").Batch()
				b.Put("k", record{"k", 1})
				_ = b.Commit().Wait()
				_ = db.Close()
				path := filepath.Join(dir, FileName)
				raw, _ := os.ReadFile(path)
				content = raw[:len(raw)/2]
				// Overwrite both meta pages (the first two 4 KiB pages)
				// with noise, as a torn write would.
				for _, page := range []int{0, 4096} {
					for i := page + 16; i < page+64 && i < len(content); i++ {
						content[i] ^= 0xff
					}
				}
			}
			if err := os.WriteFile(filepath.Join(dir, FileName), content, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Open(dir, Options{})
			var d *DamagedError
			if !errors.As(err, &d) || !strings.Contains(err.Error(), "move it away") {
				t.Fatalf("damaged file: %v, want DamagedError", err)
			}
		})
	}
}

func TestFileInUseIsRefused(t *testing.T) {
	dir := t.TempDir()
	db := open(t, dir)
	defer db.Close()
	// bbolt's lock is an flock, held per open file description: a second
	// open in the same process contends like another emulator would.
	_, err := Open(dir, Options{})
	if err == nil || !strings.Contains(err.Error(), "in use by another emulator") {
		t.Fatalf("second open: %v", err)
	}
}

// An acknowledged write survives kill -9: a child process writes, prints
// "acked" for each write Wait returned for, and is killed mid-stream.
func TestAcknowledgedWritesSurviveKill(t *testing.T) {
	if dir := os.Getenv("STATE_KILL_CHILD"); dir != "" {
		db, err := Open(dir, Options{})
		if err != nil {
			fmt.Println("open:", err)
			os.Exit(1)
		}
		b := db.Bucket("ecs")
		for i := 0; ; i++ {
			batch := b.Batch()
			batch.Put(fmt.Sprintf("k%06d", i), record{"k", i})
			if err := batch.Commit().Wait(); err != nil {
				fmt.Println("commit:", err)
				os.Exit(1)
			}
			fmt.Printf("acked %d\n", i)
		}
	}
	dir := t.TempDir()
	for round := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAcknowledgedWritesSurviveKill$")
		cmd.Env = append(os.Environ(), "STATE_KILL_CHILD="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill a while after the first acknowledgement, not after the
		// start: on a loaded machine a race-built child can take longer
		// than that to open the file.
		first := bufio.NewReader(out)
		line, err := first.ReadString('\n')
		if err != nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("round %d: child printed nothing: %v", round, err)
		}
		time.Sleep(time.Duration(50+round*70) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		raw := line + readAll(first)
		_ = cmd.Wait()
		acked := -1
		for _, line := range strings.Split(raw, "\n") {
			if _, err := fmt.Sscanf(line, "acked %d", &acked); err != nil && strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "acked") {
				t.Fatalf("child: %s", line)
			}
		}
		if acked < 0 {
			t.Fatalf("round %d: child acknowledged nothing: %q", round, raw)
		}
		db := open(t, dir)
		got := load(t, db.Bucket("ecs"))
		_ = db.Close()
		for i := 0; i <= acked; i++ {
			if _, ok := got[fmt.Sprintf("k%06d", i)]; !ok {
				t.Fatalf("round %d: write %d was acknowledged but is gone after kill -9 (%d records)", round, i, len(got))
			}
		}
		t.Logf("round %d: %d acknowledged writes, %d records after kill -9", round, acked+1, len(got))
		_ = os.Remove(filepath.Join(dir, FileName))
	}
}

func readAll(r interface{ Read([]byte) (int, error) }) string {
	var sb strings.Builder
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			return sb.String()
		}
	}
}
