package reconcile

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/runtime"
)

// An outage is reported (status and a service event) when the engine
// stops answering, backed off while it stays away, and ended with a pass
// over every task and service when it answers again.
func TestEngineOutageIsReportedAndEndsWithAFullPass(t *testing.T) {
	now := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	api := ecsapi.New(ecsapi.Options{Account: "000000000000", Now: clock})
	s := api.Store("us-east-1")
	ctx := context.Background()
	if _, err := s.CreateCluster(ctx, &ecs.CreateClusterInput{}); err != nil {
		t.Fatal(err)
	}
	td, err := s.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{Family: aws.String("f"),
		ContainerDefinitions: []types.ContainerDefinition{{Name: aws.String("c"), Image: aws.String("i"), Memory: aws.Int32(128)}}})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := s.CreateService(ctx, &ecs.CreateServiceInput{ServiceName: aws.String("web"), TaskDefinition: td.TaskDefinition.TaskDefinitionArn, DesiredCount: aws.Int32(0)})
	if err != nil {
		t.Fatal(err)
	}
	r := New(api, runtime.Disabled{}, Options{Now: clock})
	var mu sync.Mutex
	woken := map[string]int{}
	r.queue.Store(NewQueue(t.Context(), 0, func(_ context.Context, key string) time.Duration {
		mu.Lock()
		defer mu.Unlock()
		woken[key]++
		return 0
	}))
	r.engine.status.Watched, r.engine.status.Reachable = true, true

	wait := r.engineChecked(errors.New("dial unix /var/run/docker.sock: connect: no such file or directory"), engineCheckEvery)
	st := r.EngineStatus()
	if st.Reachable || !st.DownSince.Equal(now) || st.Outages != 1 || wait != engineRetryMin {
		t.Fatalf("after a failed check: %+v, next check in %s", st, wait)
	}
	if wait = r.engineChecked(errors.New("still down"), wait); wait != 2*engineRetryMin {
		t.Fatalf("backoff while down: next check in %s, want %s", wait, 2*engineRetryMin)
	}
	now = now.Add(90 * time.Second)
	if wait = r.engineChecked(nil, wait); wait != engineCheckEvery {
		t.Fatalf("after the engine came back: next check in %s", wait)
	}
	st = r.EngineStatus()
	if !st.Reachable || !st.DownSince.IsZero() || st.LastOutage != 90*time.Second || st.Outages != 1 {
		t.Fatalf("after the engine came back: %+v", st)
	}
	r.queue.Load().Wait()
	mu.Lock()
	defer mu.Unlock()
	if woken[serviceKeyPrefix+*svc.Service.ServiceArn] == 0 {
		t.Fatalf("the service was not reconciled when the engine came back (woken: %v)", woken)
	}
	got, _, _ := s.ServiceSnapshot(*svc.Service.ServiceArn, time.Time{})
	var events []string
	for _, e := range got.Events {
		events = append(events, aws.ToString(e.Message))
	}
	all := strings.Join(events, "\n")
	if !strings.Contains(all, "(service web) is unable to reach the container engine") ||
		!strings.Contains(all, "(service web) reached the container engine again after 1m30s") {
		t.Fatalf("service events:\n%s", all)
	}
}
