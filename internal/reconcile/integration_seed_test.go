package reconcile_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// The tutorial's three rolling-update cases with real containers: while a
// new task definition rolls out, sample the engine's containers and the
// tasks' health and check the envelope ECS promises:
//
//	at most floor(desired × maximumPercent / 100) task containers exist,
//	at least ceil(desired × minimumHealthyPercent / 100) tasks are healthy.
func TestIntegrationSeedRollingUpdates(t *testing.T) {
	tests := []struct {
		name          string
		desired       int32
		min, max      int32
		wantNoneAlive bool // 0/100 with one task: the old stops before the new starts
		wantOverlap   bool // 100/200 with one task: the new starts before the old stops
	}{
		{name: "4 tasks 100/200", desired: 4, min: 100, max: 200},
		{name: "4 tasks 50/150", desired: 4, min: 50, max: 150},
		{name: "1 task 100/200", desired: 1, min: 100, max: 200, wantOverlap: true},
		{name: "1 task 0/100", desired: 1, min: 0, max: 100, wantNoneAlive: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			family := fmt.Sprintf("seed%d", i)
			v1 := f.register(family, f.healthyApp("v1"))
			name := fmt.Sprintf("seed-%d", i)
			f.createService(name, v1, tt.desired, func(in *ecs.CreateServiceInput) {
				in.DeploymentConfiguration = &types.DeploymentConfiguration{MinimumHealthyPercent: aws.Int32(tt.min), MaximumPercent: aws.Int32(tt.max)}
			})
			f.waitService(name, "stable on v1", 60*time.Second, stableOn(v1, int(tt.desired)))
			v2 := f.register(family, f.healthyApp("v2"))
			s := f.sampleEnvelope(name)
			f.updateTaskDefinition(name, v2)
			f.waitService(name, "stable on v2", 120*time.Second, stableOn(v2, int(tt.desired)))
			samples := s.stop()

			maxAlive, minHealthy := int(tt.desired*tt.max/100), int((tt.desired*tt.min+99)/100)
			seenMax, seenMin, none, overlap := 0, 1<<30, false, false
			for _, smp := range samples {
				seenMax = max(seenMax, smp.containers)
				seenMin = min(seenMin, smp.healthy)
				none = none || smp.containers == 0
				overlap = overlap || smp.containers > int(tt.desired)
			}
			t.Logf("%d samples: at most %d containers (limit %d), at least %d healthy (limit %d)", len(samples), seenMax, maxAlive, seenMin, minHealthy)
			if seenMax > maxAlive {
				t.Errorf("%d task containers at once, maximumPercent allows %d", seenMax, maxAlive)
			}
			if seenMin < minHealthy {
				t.Errorf("%d healthy tasks at one point, minimumHealthyPercent needs %d", seenMin, minHealthy)
			}
			if tt.wantOverlap && !overlap {
				t.Errorf("the new task never ran beside the old one (new before old)")
			}
			if tt.wantNoneAlive != none {
				t.Errorf("a moment without any task: %v, want %v", none, tt.wantNoneAlive)
			}
		})
	}
}

// healthyApp is the test app with a health check, so that "healthy" means
// its checks pass (ECS's rule for tasks with health checks).
func (f *fixture) healthyApp(version string) types.ContainerDefinition {
	c := f.app("web", "NAME="+version)
	c.HealthCheck = healthCheck(2)
	return c
}

// stableOn waits for n RUNNING tasks of one task definition and a single
// COMPLETED deployment.
func stableOn(taskDef string, n int) func(types.Service, []types.Task) bool {
	return func(s types.Service, ts []types.Task) bool {
		if !runningTasks(n)(s, ts) || len(s.Deployments) != 1 || s.Deployments[0].RolloutState != types.DeploymentRolloutStateCompleted {
			return false
		}
		for _, task := range ts {
			if aws.ToString(task.TaskDefinitionArn) != taskDef {
				return false
			}
		}
		return true
	}
}

type envelopeSample struct{ containers, healthy int }

type sampler struct {
	stopOnce sync.Once
	done     chan struct{}
	wg       sync.WaitGroup
	mu       sync.Mutex
	samples  []envelopeSample
}

// sampleEnvelope samples, every 200 ms until stopped (at most 3 minutes),
// the running task containers in the engine and the tasks that are RUNNING,
// wanted and HEALTHY according to DescribeTasks.
func (f *fixture) sampleEnvelope(service string) *sampler {
	s := &sampler{done: make(chan struct{})}
	cli := f.engine()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		deadline := time.After(3 * time.Minute)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-s.done:
				return
			case <-deadline:
				return
			case <-tick.C:
			}
			containers := f.appContainers(cli, service)
			tasks, err := f.serviceTasks(service, types.DesiredStatusRunning)
			if err != nil {
				continue
			}
			healthy := 0
			for _, task := range tasks {
				if status(task) == "RUNNING" && task.HealthStatus == types.HealthStatusHealthy {
					healthy++
				}
			}
			s.mu.Lock()
			s.samples = append(s.samples, envelopeSample{containers, healthy})
			s.mu.Unlock()
		}
	}()
	return s
}

func (s *sampler) stop() []envelopeSample {
	s.stopOnce.Do(func() { close(s.done) })
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.samples
}
