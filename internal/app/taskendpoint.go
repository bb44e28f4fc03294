package app

import (
	"context"
	"errors"
	"net"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/runtime/docker"
	"github.com/localaws/ecsemu/internal/taskmeta"
)

// taskEndpoints are the emulator's services for task containers beyond
// DNS: the AWS endpoint on the task network's gateway, and the metadata
// and credentials endpoint at 169.254.170.2. Like DNS for tasks they are
// only reachable from the task network (and from the host itself).
type taskEndpoints struct {
	awsURL  string // http://<gateway>:<port>, "" when not served
	gateway string
	awsSrv  *http.Server
	awsDone chan struct{}
	meta    *taskmeta.Server // nil when not served
}

// startTaskEndpoints serves what tasks reach and tells the reconciler
// what to put in their containers. Failures only cost tasks the service.
func (a *App) startTaskEndpoints(ctx context.Context) {
	te := &a.taskEP
	if a.cfg.EndpointForTasks {
		a.serveEndpointForTasks(ctx)
	}
	if a.cfg.TaskMetadata {
		a.serveTaskMetadata(ctx)
	}
	if te.awsURL != "" || te.meta != nil {
		a.Reconciler.SetTaskEnvironment(te)
	}
}

// serveEndpointForTasks serves the AWS endpoint on the task network's
// gateway, on the port of --listen when it is free there.
func (a *App) serveEndpointForTasks(ctx context.Context) {
	gw := a.taskNetwork(ctx).gateway
	if gw == "" {
		return
	}
	_, port, _ := net.SplitHostPort(a.ln.Addr().String())
	ln, err := net.Listen("tcp", net.JoinHostPort(gw, port))
	if err != nil {
		ln, err = net.Listen("tcp", net.JoinHostPort(gw, "0"))
	}
	if err != nil {
		a.log.Warn("cannot serve the AWS endpoint to tasks", "addr", gw, "err", err)
		return
	}
	te := &a.taskEP
	te.gateway = gw
	te.awsURL = "http://" + ln.Addr().String()
	te.awsSrv = newEndpoint(a.httpSrv.Handler, a.cfg.HTTPIdleTimeout) // the host endpoint's limits
	te.awsDone = make(chan struct{})
	ln = limitEndpoint(ln)
	go func() {
		defer close(te.awsDone)
		if err := te.awsSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.log.Error("AWS endpoint for tasks stopped", "err", err)
		}
	}()
	a.log.Info("AWS endpoint for tasks ready", "url", te.awsURL)
}

// serveTaskMetadata serves the metadata and credentials endpoint at
// 169.254.170.2 on the link-local network: port 80 as on ECS when it can
// be bound (root or CAP_NET_BIND_SERVICE, and no other emulator there),
// else any port. Without the link-local network it falls back to the task
// network's gateway, where metadata works but SDKs refuse the credentials
// URL.
func (a *App) serveTaskMetadata(ctx context.Context) {
	drt, ok := a.Runtime.(*docker.Runtime)
	if !ok {
		return
	}
	meta := taskmeta.New(taskmeta.Options{Source: &metaSource{app: a}, Secret: a.taskEndpointKey(), Logger: a.log})
	ll := taskmeta.LinkLocalAddress
	addrs := []string{net.JoinHostPort(ll, "80"), net.JoinHostPort(ll, "0")}
	if err := drt.EnableLinkLocal(ctx, ll); err != nil {
		gw := a.taskNetwork(ctx).gateway
		if gw == "" {
			return
		}
		a.log.Warn("no link-local task network: task metadata is served on the task network's gateway, where SDKs refuse the task-role credentials URL", "err", err)
		addrs = []string{net.JoinHostPort(gw, "0")}
	}
	if err := meta.Start(addrs...); err != nil {
		a.log.Warn("cannot serve task metadata", "err", err)
		return
	}
	a.taskEP.meta = meta
	a.log.Info("task metadata endpoint ready", "addr", meta.Addr())
}

// shutdown stops the endpoints for tasks.
func (te *taskEndpoints) shutdown(ctx context.Context) {
	if te.awsSrv != nil {
		_ = te.awsSrv.Shutdown(ctx)
		<-te.awsDone
	}
	if te.meta != nil {
		_ = te.meta.Shutdown(ctx)
	}
}

// Variables implements reconcile.TaskEnvironment.
func (te *taskEndpoints) Variables(t *ecsapi.Task, container string) []types.KeyValuePair {
	var out []types.KeyValuePair
	if te.awsURL != "" {
		out = append(out, types.KeyValuePair{Name: ptr("AWS_ENDPOINT_URL"), Value: ptr(te.awsURL)})
	}
	if te.meta != nil {
		for _, v := range te.meta.Variables(*t.TaskArn, container, taskRole(t) != "") {
			out = append(out, types.KeyValuePair{Name: ptr(v.Name), Value: ptr(v.Value)})
		}
	}
	return out
}

// Hosts implements reconcile.TaskEnvironment. SDKs send Cloud Map's
// DiscoverInstances to "data-" + the endpoint's host, which for
// AWS_ENDPOINT_URL=http://<gateway>:port is data-<gateway>: tasks resolve
// it to the gateway.
func (te *taskEndpoints) Hosts() []string {
	if te.awsURL == "" {
		return nil
	}
	return []string{"data-" + te.gateway + ":" + te.gateway}
}

// taskRole is the task's role: the override's, else the definition's.
func taskRole(t *ecsapi.Task) string {
	if t.Overrides != nil && t.Overrides.TaskRoleArn != nil && *t.Overrides.TaskRoleArn != "" {
		return *t.Overrides.TaskRoleArn
	}
	if t.Definition.TaskRoleArn != nil {
		return *t.Definition.TaskRoleArn
	}
	return ""
}

func ptr[T any](v T) *T { return &v }
