// Package app assembles the emulator: the HTTP endpoint with its service
// APIs, the reconciler and container runtime, and the DNS server. main and
// the test harness build the very same thing through it.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/localaws/ecsemu/internal/api/acm"
	cfnapi "github.com/localaws/ecsemu/internal/api/cloudformation"
	"github.com/localaws/ecsemu/internal/api/ec2"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/api/elbv2"
	"github.com/localaws/ecsemu/internal/api/iam"
	"github.com/localaws/ecsemu/internal/api/logs"
	"github.com/localaws/ecsemu/internal/api/s3"
	"github.com/localaws/ecsemu/internal/api/secretsmanager"
	"github.com/localaws/ecsemu/internal/api/servicediscovery"
	"github.com/localaws/ecsemu/internal/api/ssm"
	"github.com/localaws/ecsemu/internal/api/sts"
	"github.com/localaws/ecsemu/internal/config"
	"github.com/localaws/ecsemu/internal/dnsserver"
	"github.com/localaws/ecsemu/internal/logship"
	"github.com/localaws/ecsemu/internal/reconcile"
	"github.com/localaws/ecsemu/internal/runtime"
	"github.com/localaws/ecsemu/internal/runtime/docker"
	"github.com/localaws/ecsemu/internal/runtime/simulated"
	"github.com/localaws/ecsemu/internal/server"
	"github.com/localaws/ecsemu/internal/state"
)

// App is a running emulator.
type App struct {
	cfg        config.Config
	log        *slog.Logger
	Runtime    runtime.Runtime
	ECS        *ecsapi.API
	CloudMap   *servicediscovery.API
	ELB        *elbv2.API
	STS        *sts.API
	IAM        *iam.API
	ACM        *acm.API
	EC2        *ec2.API
	Logs       *logs.API
	CFN        *cfnapi.API
	SSM        *ssm.API
	S3         *s3.API
	Secrets    *secretsmanager.API
	Reconciler *reconcile.Reconciler
	Ships      *logship.Shipper  // the awslogs log driver
	DNS        *dnsserver.Server // nil when disabled
	State      *state.DB         // nil without --state-dir

	lbs       *loadBalancers
	taskDNS   atomic.Pointer[taskResolver] // nil until startTasks serves it
	tasksUp   chan struct{}                // closed once startTasks is done
	tnet      taskNet                      // the task network (tasknetwork.go)
	taskEP    taskEndpoints                // services for task containers (taskendpoint.go)
	ln        net.Listener
	httpSrv   *http.Server
	dnsSync   chan struct{}
	cancelRun context.CancelFunc
	done      chan struct{}
}

// New builds the emulator; Start runs it.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, version string) (*App, error) {
	db, err := openState(cfg, log)
	if err != nil {
		return nil, err
	}
	rt, err := newRuntime(ctx, cfg, log)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	a := &App{cfg: cfg, log: log, Runtime: rt, State: db, dnsSync: make(chan struct{}, 1), done: make(chan struct{}), tasksUp: make(chan struct{})}
	a.ACM = acm.New(acm.Options{State: a.State.Bucket(acm.Spec.Name)})
	a.EC2 = ec2.New(ec2.Options{Account: cfg.AccountID, Logger: log, State: a.State.Bucket(ec2.Spec.Name)})
	a.lbs = newLoadBalancers(a, cfg.ALBAddresses, cfg.ALBTaskAddresses)
	a.ELB = a.lbs.elb
	a.ECS = ecsapi.New(ecsapi.Options{
		Account: cfg.AccountID, Logger: log,
		OnChange:     func(c ecsapi.Change) { a.Reconciler.Notify(c) },
		TargetGroups: a.targetGroup,
		Network:      network{a.EC2}.checkAwsvpc,
		SubnetZone:   network{a.EC2}.subnetZone,
		State:        db.Bucket("ecs"),
	})
	a.IAM = iam.New(iam.Options{State: a.State.Bucket(iam.Spec.Name)})
	a.STS = sts.New(sts.Options{Directory: a.IAM, State: a.State.Bucket(sts.Spec.Name)})
	a.SSM = ssm.New(ssm.Options{Account: cfg.AccountID, Bootstrap: true, State: a.State.Bucket(ssm.Spec.Name)})
	a.S3 = s3.New(s3.Options{Account: cfg.AccountID, Bootstrap: true, State: a.State.Bucket(s3.Spec.Name)})
	a.Secrets = secretsmanager.New(secretsmanager.Options{Account: cfg.AccountID, State: a.State.Bucket(secretsmanager.Spec.Name)})
	a.CloudMap = servicediscovery.New(servicediscovery.Options{Account: cfg.AccountID, OnChange: a.wakeDNS, VPCExists: a.EC2.VPCExists, State: db.Bucket(servicediscovery.Spec.Name)})
	a.Logs = logs.New(logs.Options{Account: cfg.AccountID, State: a.State.Bucket(logs.Spec.Name)})
	a.CFN = a.newCloudFormation()
	a.Ships = logship.New(rt, a.Logs, logship.Options{Logger: log})
	a.Reconciler = reconcile.New(a.ECS, rt, reconcile.Options{
		StoppedTaskTTL:  cfg.StoppedTaskTTL,
		SettleTime:      cfg.TaskSettleTime,
		KeepContainers:  cfg.KeepContainers,
		AllowPrivileged: cfg.AllowPrivileged,
		AllowHostMounts: cfg.AllowHostMounts,
		Scope:           cfg.DockerNetwork,
		Interfaces:      network{a.EC2},
		Secrets:         secretSource{a},
		Logs:            a.Ships,
		Logger:          log,
	})
	a.Reconciler.AddHook(reconcile.NewServiceRegistryHook(a.CloudMap, log))
	lbHook := reconcile.NewLoadBalancerHook(a.ELB, log, a.serviceEvent)
	a.Reconciler.AddHook(lbHook)
	a.Reconciler.AddHealthSource(lbHook)
	srv := server.New(server.Options{
		Services: a.services(), Runtime: rt,
		Region: cfg.Region, AccountID: cfg.AccountID, Version: version, Logger: log,
		Reset: a.Reset, State: db, Outages: a.engineOutages, Adopting: a.Reconciler.Adopting, TasksReady: a.TasksReady,
	})
	a.httpSrv = newEndpoint(srv.Handler(), cfg.HTTPIdleTimeout)
	if err := a.restore(); err != nil {
		_ = db.Close()
		_ = rt.Close()
		return nil, err
	}
	return a, nil
}

func newRuntime(ctx context.Context, cfg config.Config, log *slog.Logger) (runtime.Runtime, error) {
	if cfg.DisableDocker {
		return runtime.Disabled{}, nil
	}
	if cfg.Runtime == config.RuntimeSimulated {
		return simulated.New(simulated.Options{}), nil
	}
	return docker.New(ctx, docker.Options{
		Host: cfg.DockerHost, Network: cfg.DockerNetwork, PullTimeout: cfg.PullTimeout, Logger: log,
		// One spare takes the sandbox start off the critical path of a task start.
		SandboxSpares: 1,
	})
}

// Start listens on the endpoint, starts the DNS server for the host and
// serves in the background. It returns once the endpoint accepts requests;
// what tasks need from the engine follows in the background (startTasks).
func (a *App) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.cfg.Listen, err)
	}
	ln = limitEndpoint(ln)
	a.ln = ln
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.cancelRun = cancel
	if err := a.startDNS(runCtx); err != nil {
		cancel()
		_ = ln.Close()
		return err
	}
	a.Ships.Start(runCtx)
	go a.lbs.run(runCtx)
	go func() {
		defer close(a.done)
		if err := a.httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("endpoint stopped", "err", err)
		}
	}()
	go a.startTasks(runCtx)
	return nil
}

// startTasks readies what task containers get from the emulator (the task
// network, its resolver, the AWS and metadata endpoints on it) and then
// starts the reconciler. Creating the networks takes the engine 100 ms or
// more, so it is kept off the start: the endpoint answers meanwhile, and
// tasks launched in that time wait in PROVISIONING for the reconciler.
// The health report says when it is done (tasksReady).
func (a *App) startTasks(ctx context.Context) {
	defer close(a.tasksUp)
	a.startTaskDNS(ctx)
	a.startTaskEndpoints(ctx)
	a.Reconciler.Start(ctx)
}

// TasksReady says whether startTasks is done.
func (a *App) TasksReady() bool {
	select {
	case <-a.tasksUp:
		return true
	default:
		return false
	}
}

// WaitTasksReady returns once startTasks is done (or ctx ends): tests
// that look at task networking right after Start wait for it.
func (a *App) WaitTasksReady(ctx context.Context) {
	select {
	case <-a.tasksUp:
	case <-ctx.Done():
	}
}

// stopTasks waits for startTasks (ending with the run context) and stops
// the tasks' resolver.
func (a *App) stopTasks(ctx context.Context) {
	<-a.tasksUp
	if tr := a.taskDNS.Load(); tr != nil {
		_ = tr.srv.Shutdown(ctx)
	}
}

// Endpoint is the URL of the AWS endpoint, e.g. http://127.0.0.1:4566.
func (a *App) Endpoint() string { return "http://" + a.ln.Addr().String() }

// Shutdown stops serving, lets the reconciler finish its steps, removes
// task containers (unless configured to keep them) and stops DNS, all
// within ctx's deadline.
func (a *App) Shutdown(ctx context.Context) {
	_ = a.httpSrv.Shutdown(ctx)
	<-a.done
	a.cancelRun()
	a.stopTasks(ctx)
	a.taskEP.shutdown(ctx)
	a.CFN.Close()
	a.Reconciler.Wait()
	a.Reconciler.Shutdown(ctx)
	a.Ships.Wait()
	_ = a.lbs.data.Shutdown(ctx)
	if a.DNS != nil {
		_ = a.DNS.Shutdown(ctx)
	}
	_ = a.Runtime.Close()
	if err := a.State.Close(); err != nil {
		a.log.Error("closing the state directory", "err", err)
	}
}

// targetGroup tells ECS about an ELBv2 target group.
func (a *App) targetGroup(arn string) (found, attached bool, targetType string) {
	info, err := a.ELB.TargetGroupInfo(arn)
	if err != nil {
		return false, false, ""
	}
	return true, len(info.LoadBalancerARNs) > 0, info.TargetType
}

// serviceEvent records an ECS service event (from the load balancer hook).
func (a *App) serviceEvent(serviceARN, message string) {
	parts := strings.SplitN(serviceARN, ":", 5)
	if len(parts) == 5 {
		a.ECS.Store(parts[3]).AddServiceEvent(serviceARN, message)
	}
}

// engineOutages is the reconciler's record of engine outages, for the
// health report.
func (a *App) engineOutages() server.EngineOutages {
	st := a.Reconciler.EngineStatus()
	return server.EngineOutages{DownSince: st.DownSince, Count: st.Outages, LastOutage: st.LastOutage, LastOutageEnded: st.LastOutageEnded}
}
