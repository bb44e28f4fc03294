package app_test

import (
	"fmt"
	"os"
	goruntime "runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// BenchmarkScale runs 1,000 services of 5 tasks on the simulated runtime
// and reports what issue 13 sets targets for: resident memory, idle CPU,
// how long a new deployment of every service takes to complete (and the
// CPU time it costs), and the latency of DescribeServices and ListTasks
// next to the same calls against 10 services (the baseline, measured in
// the same run, in the same state). Run it once:
//
//	go test -run '^$' -bench BenchmarkScale -benchtime 1x ./internal/app/
func BenchmarkScale(b *testing.B) {
	for range b.N {
		small := newScaleFleet(b, 10)
		describe10, list10 := small.latencies(b)
		big := newScaleFleet(b, 1000)
		describe1000, list1000 := big.latencies(b) // in the same state as small's
		goruntime.GC()
		var ms goruntime.MemStats
		goruntime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse+ms.StackInuse)/(1<<20), "heap+stack-MB")
		b.ReportMetric(residentMB(b), "rss-MB")
		// Five seconds see a sixth of the services' resync pass and maybe
		// part of the tasks' (every 30 s and 60 s, each spread over its
		// period); a window of a minute or more averages them.
		b.ReportMetric(idleCPU(5*time.Second), "idle-cpu-%")
		cpu := cpuTime()
		b.ReportMetric(big.redeploy(b).Seconds(), "converge-s")
		// The CPU time is the convergence's cost, which other load on the
		// machine does not stretch as it does the wall time.
		b.ReportMetric((cpuTime() - cpu).Seconds(), "converge-cpu-s")
		b.ReportMetric(float64(describe10.Microseconds()), "describe10-us")
		b.ReportMetric(float64(describe1000.Microseconds()), "describe1000-us")
		b.ReportMetric(float64(describe1000)/float64(describe10), "describe-ratio")
		b.ReportMetric(float64(list10.Microseconds()), "listtasks10-us")
		b.ReportMetric(float64(list1000.Microseconds()), "listtasks1000-us")
		b.ReportMetric(float64(list1000)/float64(list10), "listtasks-ratio")
	}
}

const scaleTasks = 5

// allSubnets spreads the tasks over every default subnet: 10,000 task
// interfaces (during a deployment) do not fit in one /20.
var allSubnets = &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: defaultSubnets}}

// scaleFleet is an emulator running n services of scaleTasks tasks each.
type scaleFleet struct {
	e     *emulatortest.Emulator
	c     *ecs.Client
	names []string
}

func newScaleFleet(b *testing.B, n int) *scaleFleet {
	b.Helper()
	e := emulatortest.Start(b, emulatortest.Options{Simulated: true})
	f := &scaleFleet{e: e, c: e.ECS()}
	ctx := b.Context()
	if _, err := f.c.CreateCluster(ctx, &ecs.CreateClusterInput{}); err != nil {
		b.Fatal(err)
	}
	td := f.taskDef(b, "1")
	for i := range n {
		f.names = append(f.names, fmt.Sprintf("svc-%04d", i))
	}
	f.parallel(b, func(name string) error {
		_, err := f.c.CreateService(ctx, &ecs.CreateServiceInput{
			ServiceName: aws.String(name), TaskDefinition: aws.String(td), DesiredCount: aws.Int32(scaleTasks),
			LaunchType: types.LaunchTypeFargate, NetworkConfiguration: allSubnets,
		})
		return err
	})
	f.waitSettled(b, td, 5*time.Minute)
	return f
}

// taskDef registers a revision with a container health check, which the
// simulated runtime passes at once: tasks count as healthy without the
// settle time of tasks without checks.
func (f *scaleFleet) taskDef(b *testing.B, version string) string {
	out, err := f.c.RegisterTaskDefinition(b.Context(), &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("scale"), NetworkMode: types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate}, Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("app"), Image: aws.String("scale/app:" + version),
			HealthCheck: &types.HealthCheck{Command: []string{"CMD", "/app", "health"}},
		}},
	})
	if err != nil {
		b.Fatal(err)
	}
	return aws.ToString(out.TaskDefinition.TaskDefinitionArn)
}

// parallel calls fn for every service, 8 at a time.
func (f *scaleFleet) parallel(b *testing.B, fn func(name string) error) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	sem := make(chan struct{}, 8)
	for _, name := range f.names {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := fn(name); err != nil {
				mu.Lock()
				first = cmpOr(first, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if first != nil {
		b.Fatal(first)
	}
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// redeploy moves every service to a new revision and returns how long it
// took until every deployment completed.
func (f *scaleFleet) redeploy(b *testing.B) time.Duration {
	td := f.taskDef(b, "2")
	start := time.Now()
	f.parallel(b, func(name string) error {
		_, err := f.c.UpdateService(b.Context(), &ecs.UpdateServiceInput{Service: aws.String(name), TaskDefinition: aws.String(td)})
		return err
	})
	f.waitSettled(b, td, 5*time.Minute)
	return time.Since(start)
}

// waitSettled waits until every service has a single COMPLETED deployment
// of td with all its tasks running. It asks the store directly (no HTTP)
// every 100 ms, so that polling costs the reconciler little.
func (f *scaleFleet) waitSettled(b *testing.B, td string, timeout time.Duration) {
	b.Helper()
	store := f.e.API.Store("us-east-1")
	for deadline := time.Now().Add(timeout); ; time.Sleep(100 * time.Millisecond) {
		pending := ""
		for start := 0; start < len(f.names) && pending == ""; start += 10 {
			out, err := store.DescribeServices(b.Context(), &ecs.DescribeServicesInput{Services: f.names[start:min(start+10, len(f.names))]})
			if err != nil {
				b.Fatal(err)
			}
			for _, s := range out.Services {
				if len(s.Deployments) != 1 || aws.ToString(s.Deployments[0].TaskDefinition) != td ||
					s.Deployments[0].RolloutState != types.DeploymentRolloutStateCompleted || s.RunningCount != scaleTasks {
					pending = aws.ToString(s.ServiceName)
					break
				}
			}
		}
		if pending == "" {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("service %s did not settle on %s within %s", pending, td, timeout)
		}
	}
}

// latencies returns the median latency of DescribeServices (10 services)
// and of ListTasks (one service), over 200 calls each through the endpoint.
func (f *scaleFleet) latencies(b *testing.B) (describe, list time.Duration) {
	ctx := b.Context()
	const calls = 200
	var d, l []time.Duration
	for i := range calls {
		first := (i * 10) % len(f.names)
		batch := f.names[first:min(first+10, len(f.names))]
		start := time.Now()
		if _, err := f.c.DescribeServices(ctx, &ecs.DescribeServicesInput{Services: batch}); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(start))
		start = time.Now()
		out, err := f.c.ListTasks(ctx, &ecs.ListTasksInput{ServiceName: aws.String(f.names[i%len(f.names)])})
		if err != nil || len(out.TaskArns) != scaleTasks {
			b.Fatalf("ListTasks: %d tasks, %v; want %d", len(out.TaskArns), err, scaleTasks)
		}
		l = append(l, time.Since(start))
	}
	return median(d), median(l)
}

func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// residentMB is the process's resident set (/proc/self/statm).
func residentMB(b *testing.B) float64 {
	raw, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		b.Skipf("no /proc/self/statm: %v", err)
	}
	fields := strings.Fields(string(raw))
	pages, _ := strconv.ParseFloat(fields[1], 64)
	return pages * float64(os.Getpagesize()) / (1 << 20)
}

// idleCPU is the process's CPU use over d while nothing changes, in
// percent of one core.
func idleCPU(d time.Duration) float64 {
	before := cpuTime()
	time.Sleep(d)
	return float64(cpuTime()-before) / float64(d) * 100
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
