package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/runtime"
	"github.com/localaws/ecsemu/internal/testutil/dockertest"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// The emulator process is killed with SIGKILL at random moments while a
// client creates, updates and deletes clusters and services. After every
// start on the same state directory each acknowledged write is there, and
// once the services settled the engine runs exactly the running tasks'
// containers: none lost, none duplicated, none orphaned.
func TestKillDuringChurnKeepsEveryAcknowledgedWrite(t *testing.T) {
	image := dockertest.TestAppImage(t)
	bin := buildEmulator(t)
	p := &churnProcess{tb: t, bin: bin, state: t.TempDir(), network: fmt.Sprintf("ecs-emulator-churn-%d", os.Getpid())}
	t.Cleanup(p.stop)
	w := newChurnWorld()
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("seed %d", seed)

	const rounds = 4
	for round := range rounds {
		c := p.start()
		w.check(t, c, round)
		if round == 0 {
			w.setUp(t, c, image)
		}
		deadline := time.Now().Add(time.Duration(200+rng.IntN(1300)) * time.Millisecond)
		killEarly := time.Duration(rng.IntN(150)) * time.Millisecond
		// The writer has its own generator: rand.Rand is not safe to share.
		wrng := rand.New(rand.NewPCG(rng.Uint64(), uint64(round)))
		done := make(chan int)
		go func() {
			n := 0
			// A few writes a round, spread over it, so that the kill
			// lands between and inside requests and the services stay
			// few enough to settle quickly on two cores.
			for time.Now().Before(deadline) && n < 25 {
				w.step(c, wrng.IntN(100), wrng.IntN(1000))
				n++
				time.Sleep(time.Duration(wrng.IntN(40)) * time.Millisecond)
			}
			done <- n
		}()
		time.Sleep(time.Until(deadline) - killEarly)
		p.kill()
		t.Logf("round %d: killed after %d operations", round, <-done)
	}
	c := p.start()
	w.check(t, c, rounds)
	w.settle(t, c, p.network)
}

// churnWorld is what the client knows was acknowledged.
type churnWorld struct {
	clusters []string
	services map[string]*churnService
	td       string
	next     int
}

type churnService struct {
	desired   int32
	deleted   bool
	uncertain bool // the last write got no answer: either outcome is fine
}

func newChurnWorld() *churnWorld { return &churnWorld{services: map[string]*churnService{}} }

func (w *churnWorld) setUp(t testing.TB, c *ecs.Client, image string) {
	ctx := context.Background()
	if _, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String("churn")}); err != nil {
		t.Fatal(err)
	}
	out, err := c.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: aws.String("churn"), NetworkMode: types.NetworkModeAwsvpc, RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		Cpu: aws.String("256"), Memory: aws.String("512"),
		ContainerDefinitions: []types.ContainerDefinition{{Name: aws.String("app"), Image: aws.String(image), StopTimeout: aws.Int32(2),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	w.td = *out.TaskDefinition.TaskDefinitionArn
}

// step makes one write; pick chooses which, n which resource.
func (w *churnWorld) step(c *ecs.Client, pick, n int) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	live := w.live()
	switch {
	case pick < 20:
		name := fmt.Sprintf("c%d", w.next)
		w.next++
		if _, err := c.CreateCluster(ctx, &ecs.CreateClusterInput{ClusterName: aws.String(name)}); err == nil {
			w.clusters = append(w.clusters, name)
		}
	case pick < 55 || len(live) == 0:
		name := fmt.Sprintf("s%d", w.next)
		w.next++
		s := &churnService{desired: 1, uncertain: true}
		w.services[name] = s
		_, err := c.CreateService(ctx, &ecs.CreateServiceInput{Cluster: aws.String("churn"), ServiceName: aws.String(name),
			TaskDefinition: aws.String(w.td), DesiredCount: aws.Int32(1), LaunchType: types.LaunchTypeFargate,
			NetworkConfiguration: churnNetwork()})
		s.uncertain = err != nil
	case pick < 85:
		name := live[n%len(live)]
		s := w.services[name]
		desired := int32(n % 2)
		s.uncertain = true
		if _, err := c.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String("churn"), Service: aws.String(name), DesiredCount: aws.Int32(desired)}); err == nil {
			s.desired, s.uncertain = desired, false
		}
	default:
		name := live[n%len(live)]
		s := w.services[name]
		s.uncertain = true
		if _, err := c.DeleteService(ctx, &ecs.DeleteServiceInput{Cluster: aws.String("churn"), Service: aws.String(name), Force: aws.Bool(true)}); err == nil {
			s.deleted, s.uncertain = true, false
		}
	}
}

// live lists the services not known to be deleted, in name order.
func (w *churnWorld) live() []string {
	var out []string
	for name, s := range w.services {
		if !s.deleted {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// check compares the emulator with every acknowledged write.
func (w *churnWorld) check(t *testing.T, c *ecs.Client, round int) {
	t.Helper()
	ctx := context.Background()
	if len(w.clusters) > 0 {
		for chunk := range slices.Chunk(w.clusters, 100) {
			out, err := c.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: chunk})
			if err != nil {
				t.Fatalf("round %d: DescribeClusters: %v", round, err)
			}
			if len(out.Failures) > 0 {
				t.Fatalf("round %d: acknowledged clusters missing after restart: %+v", round, out.Failures)
			}
		}
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range w.services {
			if !yield(n) {
				return
			}
		}
	})
	for chunk := range slices.Chunk(names, 10) {
		out, err := c.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("churn"), Services: chunk})
		if err != nil {
			t.Fatalf("round %d: DescribeServices: %v", round, err)
		}
		found := map[string]types.Service{}
		for _, s := range out.Services {
			found[*s.ServiceName] = s
		}
		for _, name := range chunk {
			want, got := w.services[name], found[name]
			status := aws.ToString(got.Status)
			switch {
			case want.uncertain:
				if status == "ACTIVE" {
					want.desired = got.DesiredCount // whichever happened, it is the truth now
				}
				want.deleted = status != "ACTIVE"
				want.uncertain = false
			case want.deleted:
				if status == "ACTIVE" {
					t.Fatalf("round %d: service %s was deleted (acknowledged) but is ACTIVE after restart", round, name)
				}
			case status != "ACTIVE" || got.DesiredCount != want.desired:
				t.Fatalf("round %d: service %s after restart: status %q desired %d, acknowledged ACTIVE desired %d", round, name, status, got.DesiredCount, want.desired)
			}
		}
	}
	t.Logf("round %d: %d clusters and %d services as acknowledged", round, len(w.clusters), len(names))
}

// settle waits until every live service runs its desired count, then
// compares the engine's containers with the running tasks.
func (w *churnWorld) settle(t *testing.T, c *ecs.Client, scope string) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(120 * time.Second)
	for {
		running, err := runningContainers(ctx, c)
		have := scopeContainers(t, scope, runtime.RoleContainer)
		sandboxes := scopeContainers(t, scope, runtime.RoleSandbox)
		wantTotal := 0
		for _, name := range w.live() {
			wantTotal += int(w.services[name].desired)
		}
		if err == nil && len(running) == wantTotal && sameSet(running, have) && len(sandboxes) == wantTotal {
			t.Logf("settled: %d running tasks, each with its one container and sandbox", wantTotal)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not settled after 120 s: %d running tasks (want %d), engine has %d task containers (%d not of a running task) and %d sandboxes; err %v",
				len(running), wantTotal, len(have), len(missing(have, running)), len(sandboxes), err)
		}
		time.Sleep(time.Second)
	}
}

// runningContainers lists the container IDs of the RUNNING tasks, and
// fails while any task is between states.
func runningContainers(ctx context.Context, c *ecs.Client) ([]string, error) {
	var arns []string
	p := ecs.NewListTasksPaginator(c, &ecs.ListTasksInput{Cluster: aws.String("churn")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		arns = append(arns, page.TaskArns...)
	}
	var ids []string
	for chunk := range slices.Chunk(arns, 100) {
		out, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("churn"), Tasks: chunk})
		if err != nil {
			return nil, err
		}
		for _, task := range out.Tasks {
			if aws.ToString(task.LastStatus) != "RUNNING" || aws.ToString(task.DesiredStatus) != "RUNNING" {
				return nil, fmt.Errorf("task %s is %s→%s", aws.ToString(task.TaskArn), aws.ToString(task.LastStatus), aws.ToString(task.DesiredStatus))
			}
			ids = append(ids, aws.ToString(task.Containers[0].RuntimeId))
		}
	}
	return ids, nil
}

// scopeContainers lists the containers of a role (task containers or
// sandboxes) the engine has for the emulator's scope, running or not.
func scopeContainers(t *testing.T, scope, role string) []string {
	t.Helper()
	out, err := exec.Command("docker", "ps", "-a", "--no-trunc", "-q",
		"--filter", "label="+runtime.LabelScope+"="+scope,
		"--filter", "label="+runtime.LabelRole+"="+role).Output()
	if err != nil {
		t.Fatalf("docker ps: %v", err)
	}
	return strings.Fields(string(out))
}

// missing lists what of a is not in b.
func missing(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func churnNetwork() *types.NetworkConfiguration {
	_, subnets, _ := ec2api.DefaultVPCIDs("000000000000", "us-east-1")
	return &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: subnets[:1]}}
}

// churnProcess is the emulator as a child process on one state directory.
type churnProcess struct {
	tb                  testing.TB
	bin, state, network string
	cmd                 *exec.Cmd
	url                 string
	ready               time.Duration // from exec to the first answered request
}

func (p *churnProcess) start() *ecs.Client {
	p.tb.Helper()
	p.startTimed()
	return (&emulatortest.Emulator{URL: p.url}).ECS()
}

// startTimed starts the emulator and measures the time to its first
// answered request.
func (p *churnProcess) startTimed() {
	p.tb.Helper()
	port := freePort(p.tb)
	p.url = "http://127.0.0.1:" + port
	p.cmd = exec.Command(p.bin, "--listen", "127.0.0.1:"+port, "--dns-listen", "off", "--state-dir", p.state,
		"--docker-network", p.network, "--task-metadata", "false", "--alb-task-addresses", "off",
		"--endpoint-for-tasks", "false", "--dns-for-tasks", "false", "--task-settle-time", "1s", "--log-level", "warn")
	log, err := os.Create(filepath.Join(p.state, "emulator.log"))
	if err != nil {
		p.tb.Fatal(err)
	}
	p.cmd.Stdout, p.cmd.Stderr = log, log
	begin := time.Now()
	if err := p.cmd.Start(); err != nil {
		p.tb.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		resp, err := http.Get(p.url + "/_emulator/health")
		if err == nil {
			resp.Body.Close()
			p.ready = time.Since(begin)
			return
		}
		if time.Now().After(deadline) {
			out, _ := os.ReadFile(log.Name())
			p.tb.Fatalf("the emulator did not answer within 20 s:\n%s", out)
		}
	}
}

func (p *churnProcess) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	_ = p.cmd.Wait()
}

// stop ends the last emulator cleanly and without keeping containers, so
// that the test leaves nothing behind.
func (p *churnProcess) stop() {
	if p.cmd == nil || p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	_ = p.cmd.Wait()
	// The clean stop keeps containers with --state-dir; remove them and
	// the network with one more start that does not keep them.
	cmd := exec.Command(p.bin, "--listen", "127.0.0.1:0", "--dns-listen", "off", "--state-dir", p.state,
		"--docker-network", p.network, "--keep-containers", "false", "--task-metadata", "false", "--alb-task-addresses", "off")
	if err := cmd.Start(); err == nil {
		time.Sleep(2 * time.Second)
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}
}

func freePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// buildEmulator compiles this command for the test.
func buildEmulator(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "emulator")
	gobin := filepath.Join(goruntime.GOROOT(), "bin", "go")
	if _, err := os.Stat(gobin); errors.Is(err, os.ErrNotExist) {
		gobin = "go"
	}
	out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
