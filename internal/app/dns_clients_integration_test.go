package app_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/miekg/dns"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	dockerrt "github.com/localaws/ecsemu/internal/runtime/docker"
	"github.com/localaws/ecsemu/internal/testutil/dockertest"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// The resolver on the task network's gateway answers the task network
// only: a task gets its zone's SOA, a container on another Docker network
// gets REFUSED, over UDP and TCP.
func TestTaskResolverRefusesOtherNetworks(t *testing.T) {
	image := dockertest.TestAppImage(t)
	e := emulatortest.Start(t, emulatortest.Options{Docker: true, TaskDNS: true})
	ctx := t.Context()
	gw, err := e.Runtime.(*dockerrt.Runtime).Gateway(ctx)
	if err != nil {
		t.Fatalf("gateway: %v", err)
	}
	if _, err := e.CloudMap().CreatePrivateDnsNamespace(ctx, &servicediscovery.CreatePrivateDnsNamespaceInput{
		Name: aws.String("hardening.local"), Vpc: aws.String(defaultVpc),
	}); err != nil {
		t.Fatalf("CreatePrivateDnsNamespace: %v", err)
	}
	waitSOA(t, e.DNSAddr, "hardening.local.")
	server := gw + ":53"

	c := e.ECS()
	must(t, "CreateCluster", func() error { _, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{}); return err })
	td := register(t, ctx, c, "dnsq", types.ContainerDefinition{
		Name: aws.String("q"), Image: aws.String(image),
		Command: []string{"dnsquery", server, "hardening.local", "SOA"},
	})
	out, err := c.RunTask(ctx, &ecs.RunTaskInput{TaskDefinition: aws.String(td), LaunchType: types.LaunchTypeFargate, NetworkConfiguration: awsvpc()})
	if err != nil || len(out.Tasks) != 1 {
		t.Fatalf("RunTask: %v", err)
	}
	task := waitStopped(t, ctx, c, aws.ToString(out.Tasks[0].TaskArn))
	if code := aws.ToInt32(task.Containers[0].ExitCode); code != 0 {
		t.Fatalf("a task's query to %s: exit code %d (0 is NOERROR), reason %q", server, code, aws.ToString(task.StoppedReason))
	}

	cli := dockertest.NewClient(t)
	other := fmt.Sprintf("hardening-other-%d-%d", os.Getpid(), time.Now().UnixNano()%1e9)
	if _, err := cli.NetworkCreate(ctx, other, client.NetworkCreateOptions{Driver: "bridge"}); err != nil {
		t.Fatalf("creating network %s: %v", other, err)
	}
	t.Cleanup(func() { _, _ = cli.NetworkRemove(context.Background(), other, client.NetworkRemoveOptions{}) })
	for _, proto := range []string{"udp", "tcp"} {
		cmd := []string{"dnsquery", server, "hardening.local", "SOA"}
		if proto == "tcp" {
			cmd = []string{"dnsquery", "-tcp", server, "hardening.local", "SOA"}
		}
		if code := runOn(t, cli, other, image, cmd); code != 5 {
			t.Errorf("%s query from network %s: exit code %d, want 5 (REFUSED)", proto, other, code)
		}
	}
}

// runOn runs image with cmd on a Docker network and returns its exit code.
func runOn(t *testing.T, cli *client.Client, network, image string, cmd []string) int {
	t.Helper()
	ctx := t.Context()
	res, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config:     &container.Config{Image: image, Cmd: cmd},
		HostConfig: &container.HostConfig{NetworkMode: container.NetworkMode(network)},
	})
	if err != nil {
		t.Fatalf("creating a container on %s: %v", network, err)
	}
	t.Cleanup(func() {
		_, _ = cli.ContainerRemove(context.Background(), res.ID, client.ContainerRemoveOptions{Force: true})
	})
	if _, err := cli.ContainerStart(ctx, res.ID, client.ContainerStartOptions{}); err != nil {
		t.Fatalf("starting the container: %v", err)
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		in, err := cli.ContainerInspect(ctx, res.ID, client.ContainerInspectOptions{})
		if err == nil && in.Container.State != nil && !in.Container.State.Running && in.Container.State.Status == "exited" {
			return in.Container.State.ExitCode
		}
	}
	t.Fatalf("the container on %s did not exit", network)
	return -1
}

// waitSOA waits until the host's DNS server serves a zone.
func waitSOA(t *testing.T, addr, zone string) {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(zone, dns.TypeSOA)
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if r, _, err := new(dns.Client).Exchange(m, addr); err == nil && r.Rcode == dns.RcodeSuccess && len(r.Answer) > 0 {
			return
		}
	}
	t.Fatalf("%s never served zone %s", addr, zone)
}
