package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/localaws/ecsemu/internal/app"
	"github.com/localaws/ecsemu/internal/config"
	"github.com/localaws/ecsemu/internal/state"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// The health document says where state is kept.
func TestHealthReportsTheStateDirectory(t *testing.T) {
	dir := t.TempDir()
	e := emulatortest.Start(t, emulatortest.Options{StateDir: dir})
	doc := healthState(t, e.URL)
	if doc.Persistent != true || doc.File != filepath.Join(dir, state.FileName) || doc.LastError != "" {
		t.Fatalf("health state with --state-dir: %+v", doc)
	}
	plain := emulatortest.Start(t, emulatortest.Options{})
	if doc := healthState(t, plain.URL); doc.Persistent || doc.File != "" {
		t.Fatalf("health state without --state-dir: %+v", doc)
	}
}

type stateDoc struct {
	Persistent bool    `json:"persistent"`
	File       string  `json:"file"`
	LastError  string  `json:"lastError"`
	Adopting   int     `json:"adopting"`
	AdoptedIn  float64 `json:"adoptedInSeconds"`
}

func healthState(t *testing.T, url string) stateDoc {
	t.Helper()
	resp, err := http.Get(url + "/_emulator/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		State stateDoc `json:"state"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc.State
}

// A damaged or foreign state file stops the emulator at start with a
// message saying what to do, rather than starting empty.
func TestDamagedStateDirectoryRefusesToStart(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, state.FileName), []byte(strings.Repeat("garbage", 2000)), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load([]string{"--disable-docker", "true", "--dns-listen", "off", "--listen", "127.0.0.1:0", "--state-dir", dir}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, slog.New(slog.DiscardHandler), "test")
	if err == nil {
		a.Crash()
		t.Fatal("the emulator started on a damaged state file")
	}
	if !strings.Contains(err.Error(), "is damaged") || !strings.Contains(err.Error(), "move it away") {
		t.Fatalf("error for a damaged state file: %v", err)
	}
}

// BenchmarkWrites measures RegisterTaskDefinition + CreateService through
// the SDK against two emulators, one in memory and one with a state
// directory, alternating between them request pair by request pair so that
// the machine's load falls on both alike. It reports each one's cost and
// their ratio, what persistence costs an API write (issue 11 allows at
// most 2x). Run: go test -run '^$' -bench Writes ./internal/app
func BenchmarkWrites(b *testing.B) {
	memory := writer(b, emulatortest.Options{})
	stored := writer(b, emulatortest.Options{StateDir: b.TempDir()})
	var spent [2]time.Duration
	b.ResetTimer()
	for i := range b.N {
		for k, w := range []func(int){memory, stored} {
			start := time.Now()
			w(i)
			spent[k] += time.Since(start)
		}
	}
	b.ReportMetric(float64(spent[0].Microseconds())/float64(b.N), "memory-µs/write")
	b.ReportMetric(float64(spent[1].Microseconds())/float64(b.N), "state-dir-µs/write")
	b.ReportMetric(float64(spent[1])/float64(spent[0]), "state-dir/memory")
}

// writer starts an emulator and returns one write of the benchmark: a task
// definition revision and a service using it.
func writer(b *testing.B, opts emulatortest.Options) func(i int) {
	e := emulatortest.Start(b, opts)
	client := e.ECS()
	ctx := context.Background()
	if _, err := client.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("bench")}); err != nil {
		b.Fatal(err)
	}
	return func(i int) {
		td, err := client.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
			Family: aws.String(fmt.Sprintf("bench-%d", i%50)),
			ContainerDefinitions: []types.ContainerDefinition{{
				Name: aws.String("app"), Image: aws.String("bench:latest"), Memory: aws.Int32(64),
			}},
		})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := client.CreateService(ctx, &ecs.CreateServiceInput{
			Cluster: aws.String("bench"), ServiceName: aws.String(fmt.Sprintf("svc-%d", i)),
			TaskDefinition: td.TaskDefinition.TaskDefinitionArn, DesiredCount: aws.Int32(0),
		}); err != nil {
			b.Fatal(err)
		}
	}
}
