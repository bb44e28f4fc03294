package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/runtime/docker"
	"github.com/localaws/ecsemu/internal/taskmeta"
)

// metaSource builds the metadata endpoint's documents from ECS's store
// and the engine, on each request, and issues task-role credentials.
type metaSource struct {
	app *App

	mu    sync.Mutex
	creds map[string]taskmeta.Credentials // task ARN → current credentials
}

// credentialsRefresh is how long before expiry credentials are renewed
// (SDKs refresh theirs about five minutes before).
const credentialsRefresh = 15 * time.Minute

func (s *metaSource) Task(ctx context.Context, taskID string) (taskmeta.Task, bool) {
	if len(taskID) != 32 {
		return taskmeta.Task{}, false
	}
	for _, st := range s.app.ECS.Stores() {
		for _, arn := range st.TaskARNs() {
			if ecsapi.TaskID(arn) != taskID {
				continue
			}
			t, ok := st.TaskSnapshot(arn)
			if !ok {
				return taskmeta.Task{}, false
			}
			return s.document(ctx, &t), true
		}
	}
	return taskmeta.Task{}, false
}

func (s *metaSource) Stats(ctx context.Context, dockerID string) (json.RawMessage, error) {
	drt, ok := s.app.Runtime.(*docker.Runtime)
	if !ok {
		return nil, fmt.Errorf("no container engine")
	}
	return drt.ContainerStats(ctx, dockerID)
}

// Credentials issues role session credentials named after the task, as
// ECS does, and hands out the same ones until they are close to expiry.
func (s *metaSource) Credentials(_ context.Context, t taskmeta.Task) (taskmeta.Credentials, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	for arn, c := range s.creds {
		if now.After(c.Expiration) {
			delete(s.creds, arn) // of a stopped task, or about to be renewed
		}
	}
	if c, ok := s.creds[t.TaskARN]; ok && now.Add(credentialsRefresh).Before(c.Expiration) {
		return c, nil
	}
	out, err := s.app.STS.RoleCredentials(t.RoleARN, ecsapi.TaskID(t.TaskARN))
	if err != nil {
		return taskmeta.Credentials{}, err
	}
	c := taskmeta.Credentials{
		RoleArn: t.RoleARN, AccessKeyID: *out.AccessKeyId, SecretAccessKey: *out.SecretAccessKey,
		Token: *out.SessionToken, Expiration: out.Expiration.UTC(),
	}
	if s.creds == nil {
		s.creds = map[string]taskmeta.Credentials{}
	}
	s.creds[t.TaskARN] = c
	return c, nil
}

// document is the task as the metadata endpoint shows it.
func (s *metaSource) document(ctx context.Context, t *ecsapi.Task) taskmeta.Task {
	doc := taskmeta.Task{
		Cluster:          deref(t.ClusterArn),
		TaskARN:          *t.TaskArn,
		Family:           deref(t.Definition.Family),
		Revision:         strconv.Itoa(int(t.Definition.Revision)),
		DesiredStatus:    deref(t.DesiredStatus),
		KnownStatus:      deref(t.LastStatus),
		Limits:           taskLimits(t),
		PullStartedAt:    utc(t.PullStartedAt),
		PullStoppedAt:    utc(t.PullStoppedAt),
		ExecutionStopped: utc(t.ExecutionStoppedAt),
		AvailabilityZone: deref(t.AvailabilityZone),
		LaunchType:       string(t.LaunchType),
		RoleARN:          taskRole(t),
	}
	if t.ServiceARN != "" {
		doc.ServiceName = t.ServiceARN[strings.LastIndex(t.ServiceARN, "/")+1:]
	}
	network := s.network(ctx, t)
	for _, cd := range t.Definition.ContainerDefinitions {
		doc.Containers = append(doc.Containers, s.container(ctx, t, cd, network))
	}
	return doc
}

// taskLimits are the task's CPU in vCPUs and memory in MiB.
func taskLimits(t *ecsapi.Task) *taskmeta.Limits {
	var l taskmeta.Limits
	if units, err := strconv.ParseFloat(deref(t.Cpu), 64); err == nil && units > 0 {
		l.CPU = ptr(units / 1024)
	}
	if mib, err := strconv.ParseInt(deref(t.Memory), 10, 64); err == nil && mib > 0 {
		l.Memory = ptr(mib)
	}
	if l.CPU == nil && l.Memory == nil {
		return nil
	}
	return &l
}

// container is one container's document: the definition and ECS's view,
// with what the engine knows of it once it exists.
func (s *metaSource) container(ctx context.Context, t *ecsapi.Task, cd types.ContainerDefinition, network taskmeta.Network) taskmeta.Container {
	name := deref(cd.Name)
	c := taskmeta.Container{
		DockerID: t.ContainerIDs[name], Name: name, Image: deref(cd.Image),
		DesiredStatus: "RUNNING", KnownStatus: "PENDING", Type: "NORMAL",
		Limits:   taskmeta.Limits{CPU: ptr(float64(cd.Cpu)), Memory: ptr(int64(deref(cd.Memory)))},
		Networks: []taskmeta.Network{network},
	}
	if deref(t.DesiredStatus) == "STOPPED" {
		c.DesiredStatus = "STOPPED"
	}
	for _, st := range t.Containers {
		if deref(st.Name) != name {
			continue
		}
		c.KnownStatus, c.ContainerARN, c.ExitCode = deref(st.LastStatus), deref(st.ContainerArn), intPtr(st.ExitCode)
		if cd.HealthCheck != nil && st.HealthStatus != "" {
			c.Health = &taskmeta.Health{Status: string(st.HealthStatus)}
		}
	}
	for _, pm := range cd.PortMappings {
		if pm.ContainerPort != nil {
			p := uint16(*pm.ContainerPort)
			c.Ports = append(c.Ports, taskmeta.Port{ContainerPort: p, Protocol: strings.ToLower(string(pm.Protocol)), HostPort: p})
		}
	}
	if c.Ports != nil && c.Ports[0].Protocol == "" {
		for i := range c.Ports {
			c.Ports[i].Protocol = "tcp"
		}
	}
	if lc := cd.LogConfiguration; lc != nil {
		c.LogDriver, c.LogOptions = string(lc.LogDriver), lc.Options
	}
	s.engineFacts(ctx, &c)
	return c
}

// engineFacts adds what the engine knows of a created container.
func (s *metaSource) engineFacts(ctx context.Context, c *taskmeta.Container) {
	drt, ok := s.app.Runtime.(*docker.Runtime)
	if !ok || c.DockerID == "" {
		return
	}
	f, err := drt.ContainerFacts(ctx, c.DockerID)
	if err != nil {
		return
	}
	c.DockerName, c.ImageID, c.Labels = f.Name, f.ImageID, f.Labels
	c.CreatedAt, c.StartedAt, c.FinishedAt = timePtr(f.CreatedAt), timePtr(f.StartedAt), timePtr(f.FinishedAt)
}

// network is the task's interface (its sandbox on the task network), in
// the terms of an awsvpc ENI.
func (s *metaSource) network(ctx context.Context, t *ecsapi.Task) taskmeta.Network {
	n := taskmeta.Network{NetworkMode: "awsvpc", AttachmentIndex: ptr(0)}
	for _, a := range t.Attachments {
		for _, d := range a.Details {
			switch deref(d.Name) {
			case "privateIPv4Address":
				n.IPv4Addresses = []string{deref(d.Value)}
			case "macAddress":
				n.MACAddress = deref(d.Value)
			case "privateDnsName":
				n.PrivateDNSName = deref(d.Value)
				if _, domain, ok := strings.Cut(n.PrivateDNSName, "."); ok {
					n.DomainNameSearchList = []string{domain}
				}
			}
		}
	}
	tn := s.app.taskNetwork(ctx)
	if p, err := netip.ParsePrefix(tn.subnet); err == nil {
		n.IPv4SubnetCIDRBlock = p.String()
		n.SubnetGatewayIPv4Address = tn.gateway + "/" + strconv.Itoa(p.Bits())
	}
	if dns := s.app.Reconciler.TaskDNS(); len(dns) > 0 {
		n.DomainNameServers = dns
	}
	return n
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return utc(&t)
}

func intPtr(p *int32) *int {
	if p == nil {
		return nil
	}
	v := int(*p)
	return &v
}
