package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/localaws/ecsemu/internal/testutil/dockertest"
)

// BenchmarkRestart kills the emulator with SIGKILL and starts it again on
// a state directory of 1,000 services, 100 of them with a running task
// (real containers), and reports the time to the first answered request
// and to all tasks adopted, next to a start on an empty state directory
// measured in the same run:
//
//	go test ./cmd/emulator -run '^$' -bench Restart -benchtime 3x
func BenchmarkRestart(b *testing.B) {
	image := dockertest.TestAppImage(b)
	bin := buildEmulator(b)

	empty := &churnProcess{tb: b, bin: bin, state: b.TempDir(), network: fmt.Sprintf("ecs-emulator-bench-empty-%d", os.Getpid())}
	b.Cleanup(empty.stop)
	full := &churnProcess{tb: b, bin: bin, state: b.TempDir(), network: fmt.Sprintf("ecs-emulator-bench-%d", os.Getpid())}
	b.Cleanup(full.stop)

	c := full.start()
	populate(b, c, image, 1000, 100)
	var emptyReady, fullReady, fullAdopted time.Duration
	for b.Loop() {
		empty.startTimed()
		emptyReady += empty.ready
		empty.kill()
		full.kill()
		full.startTimed()
		fullReady += full.ready
		fullAdopted += full.waitAdopted()
	}
	n := float64(b.N)
	b.ReportMetric(float64(emptyReady.Milliseconds())/n, "ms-first-answer-empty")
	b.ReportMetric(float64(fullReady.Milliseconds())/n, "ms-first-answer-1000svc")
	b.ReportMetric(float64(fullAdopted.Milliseconds())/n, "ms-100-tasks-adopted")
	b.ReportMetric(float64(fullReady)/float64(emptyReady), "first-answer-ratio")
}

// populate creates services in one cluster, the first running ones with
// one task each, and waits until those run.
func populate(b *testing.B, c *ecs.Client, image string, services, running int) {
	ctx := context.Background()
	w := newChurnWorld()
	w.setUp(b, c, image)
	for i := range services {
		desired := int32(0)
		if i < running {
			desired = 1
		}
		if _, err := c.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("churn"), ServiceName: aws.String(fmt.Sprintf("svc-%04d", i)),
			TaskDefinition: aws.String(w.td), DesiredCount: aws.Int32(desired), LaunchType: types.LaunchTypeFargate,
			NetworkConfiguration: churnNetwork()}); err != nil {
			b.Fatal(err)
		}
	}
	for deadline := time.Now().Add(5 * time.Minute); ; time.Sleep(time.Second) {
		ids, err := runningContainers(ctx, c)
		if err == nil && len(ids) == running {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d tasks running after 5 minutes (%v)", len(ids), running, err)
		}
	}
}

// waitAdopted waits until the restarted emulator has looked at every
// restored task and returns how long adopting them took, as it reports.
func (p *churnProcess) waitAdopted() time.Duration {
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(5 * time.Millisecond) {
		var doc struct {
			State struct {
				Adopting  int     `json:"adopting"`
				AdoptedIn float64 `json:"adoptedInSeconds"`
			} `json:"state"`
		}
		resp, err := http.Get(p.url + "/_emulator/health")
		if err == nil {
			err = json.NewDecoder(resp.Body).Decode(&doc)
			resp.Body.Close()
		}
		if err == nil && doc.State.Adopting == 0 && doc.State.AdoptedIn > 0 {
			return time.Duration(doc.State.AdoptedIn * float64(time.Second))
		}
		if time.Now().After(deadline) {
			p.tb.Fatalf("tasks not adopted after 2 minutes (%v, %+v)", err, doc.State)
		}
	}
}
