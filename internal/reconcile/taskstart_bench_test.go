package reconcile_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/testutil/dockertest"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// BenchmarkTaskStart measures RunTask until the task answers HTTP on its
// own address, next to its physical limit: docker's create and start of
// the same image until it answers. The two alternate in every iteration,
// so both see the same machine load; compare the ratio, not the times.
//
//	go test -run '^$' -bench TaskStart -benchtime 10x -count 3 ./internal/reconcile/
func BenchmarkTaskStart(b *testing.B) {
	image := dockertest.TestAppImage(b)
	cli := dockertest.NewClient(b)
	e := emulatortest.Start(b, emulatortest.Options{Docker: true})
	s := &startBench{b: b, ctx: b.Context(), cli: cli, ecs: e.ECS(), image: image}
	s.setup()
	s.dockerRun() // warm-ups: the first of each pays for caches
	s.runTask()
	var docker, emulator []time.Duration
	for b.Loop() {
		docker = append(docker, s.dockerRun())
		emulator = append(emulator, s.runTask())
	}
	d, r := median(docker), median(emulator)
	b.ReportMetric(float64(d)/float64(time.Millisecond), "docker-ms")
	b.ReportMetric(float64(r)/float64(time.Millisecond), "runtask-ms")
	b.ReportMetric(float64(r)/float64(d), "runtask/docker")
}

type startBench struct {
	b     *testing.B
	ctx   context.Context
	cli   *client.Client
	ecs   *ecs.Client
	image string
	http  http.Client
}

func (s *startBench) setup() {
	s.http = http.Client{Timeout: time.Second, Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	if _, err := s.ecs.CreateCluster(s.ctx, &ecs.CreateClusterInput{ClusterName: aws.String(testCluster)}); err != nil {
		s.b.Fatal(err)
	}
	_, err := s.ecs.RegisterTaskDefinition(s.ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("bench"), NetworkMode: types.NetworkModeAwsvpc,
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu:                     aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("app"), Image: aws.String(s.image), Essential: aws.Bool(true), StopTimeout: aws.Int32(2),
		}},
	})
	if err != nil {
		s.b.Fatal(err)
	}
}

// dockerRun is one create, start and wait for HTTP 200 of the image on
// the default bridge; the container is removed after.
func (s *startBench) dockerRun() time.Duration {
	start := time.Now()
	res, err := s.cli.ContainerCreate(s.ctx, client.ContainerCreateOptions{Config: &container.Config{Image: s.image}})
	if err != nil {
		s.b.Fatal(err)
	}
	defer func() {
		_, _ = s.cli.ContainerRemove(context.Background(), res.ID, client.ContainerRemoveOptions{Force: true})
	}()
	if _, err := s.cli.ContainerStart(s.ctx, res.ID, client.ContainerStartOptions{}); err != nil {
		s.b.Fatal(err)
	}
	in, err := s.cli.ContainerInspect(s.ctx, res.ID, client.ContainerInspectOptions{})
	if err != nil {
		s.b.Fatal(err)
	}
	var ip string
	for _, ep := range in.Container.NetworkSettings.Networks {
		ip = ep.IPAddress.String()
	}
	s.wait200(ip)
	return time.Since(start)
}

// runTask is one RunTask, DescribeTasks every 10 ms until it is RUNNING
// with an address, and the wait for HTTP 200 there; the task is stopped
// (and waited for) after.
func (s *startBench) runTask() time.Duration {
	start := time.Now()
	out, err := s.ecs.RunTask(s.ctx, &ecs.RunTaskInput{
		Cluster: aws.String(testCluster), TaskDefinition: aws.String("bench"),
		LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc(),
	})
	if err != nil || len(out.Tasks) != 1 {
		s.b.Fatalf("RunTask: %v", err)
	}
	arn := out.Tasks[0].TaskArn
	defer s.stop(arn)
	ip := ""
	for deadline := time.Now().Add(30 * time.Second); ip == ""; time.Sleep(10 * time.Millisecond) {
		d, err := s.ecs.DescribeTasks(s.ctx, &ecs.DescribeTasksInput{Cluster: aws.String(testCluster), Tasks: []string{*arn}})
		if err != nil || len(d.Tasks) != 1 || time.Now().After(deadline) {
			s.b.Fatalf("task not RUNNING in 30 s: %v", err)
		}
		if status(d.Tasks[0]) == "RUNNING" {
			ip = taskIP(d.Tasks[0])
		}
	}
	s.wait200(ip)
	return time.Since(start)
}

func (s *startBench) stop(arn *string) {
	if _, err := s.ecs.StopTask(s.ctx, &ecs.StopTaskInput{Cluster: aws.String(testCluster), Task: arn}); err != nil {
		s.b.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		d, err := s.ecs.DescribeTasks(s.ctx, &ecs.DescribeTasksInput{Cluster: aws.String(testCluster), Tasks: []string{*arn}})
		if err == nil && len(d.Tasks) == 1 && status(d.Tasks[0]) == "STOPPED" {
			return
		}
	}
	s.b.Fatalf("task %s not STOPPED in 30 s", *arn)
}

// wait200 polls the app every 2 ms until it answers 200.
func (s *startBench) wait200(ip string) {
	url := fmt.Sprintf("http://%s:%d/health", ip, appPort)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		resp, err := s.http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			s.b.Fatalf("%s never answered 200: %v", url, err)
		}
	}
}

func median(ds []time.Duration) time.Duration {
	ds = slices.Sorted(slices.Values(ds))
	return ds[len(ds)/2]
}
