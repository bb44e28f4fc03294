package reconcile_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// The tutorial's pitfall 1: an app that needs a while to start, behind a
// health check that fails until it listens. Without a grace period ECS
// replaces every task before it is up and the service never settles; with
// a grace period longer than the start-up it settles.
func TestIntegrationSlowStarterAndGracePeriod(t *testing.T) {
	tests := []struct {
		name   string
		grace  int32
		settle bool
	}{
		{"no grace period: replaced again and again", 0, false},
		{"grace period longer than start-up: settles", 30, true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			slow := f.app("web", "STARTUP_DELAY=12s")
			slow.HealthCheck = healthCheck(1)
			td := f.register("slow", slow)
			name := []string{"slow-nograce", "slow-grace"}[i]
			f.createService(name, td, 1, func(in *ecs.CreateServiceInput) { in.HealthCheckGracePeriodSeconds = aws.Int32(tt.grace) })
			if tt.settle {
				svc, _ := f.waitService(name, "steady despite the slow start", 60*time.Second, func(s types.Service, ts []types.Task) bool {
					return runningTasks(1)(s, ts) && slices.Contains(eventMessages(s), "(service "+name+") has reached a steady state.")
				})
				if n := f.healthReplacements(name); n != 0 {
					t.Errorf("%d tasks replaced for failed health checks during the grace period\n%s", n, strings.Join(eventMessages(svc), "\n"))
				}
				return
			}
			f.waitService(name, "a second replacement", 60*time.Second, func(types.Service, []types.Task) bool { return f.healthReplacements(name) >= 2 })
			svc, _ := f.describeService(name)
			if slices.Contains(eventMessages(svc), "(service "+name+") has reached a steady state.") {
				t.Errorf("the service settled although every task was replaced:\n%s", strings.Join(eventMessages(svc), "\n"))
			}
			if !containsSuffix(eventMessages(svc), "failed container health checks.") {
				t.Errorf("no health check event:\n%s", strings.Join(eventMessages(svc), "\n"))
			}
		})
	}
}

// healthReplacements counts the service's tasks stopped because their
// container health checks failed.
func (f *fixture) healthReplacements(service string) int {
	tasks, err := f.serviceTasks(service, types.DesiredStatusStopped)
	if err != nil {
		f.t.Fatalf("listing stopped tasks: %v", err)
	}
	n := 0
	for _, task := range tasks {
		if aws.ToString(task.StoppedReason) == "Task failed container health checks" && task.StopCode == types.TaskStopCodeServiceSchedulerInitiated {
			n++
		}
	}
	return n
}

func containsSuffix(list []string, suffix string) bool {
	for _, s := range list {
		if strings.HasSuffix(s, suffix) {
			return true
		}
	}
	return false
}
