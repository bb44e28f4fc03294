package servicediscovery_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"

	cloudmap "github.com/localaws/ecsemu/internal/api/servicediscovery"
)

// TestDirectRegistration is what ECS does: register its tasks by registry
// ARN, push their health, deregister them, without the AWS wire.
func TestDirectRegistration(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	ns := e.privateNamespace(t, "internal.local", "vpc-1")
	custom := e.createService(t, &sd.CreateServiceInput{Name: aws.String("web"), NamespaceId: ns.Id,
		DnsConfig: &types.DnsConfig{DnsRecords: records("A", "SRV")}, HealthCheckCustomConfig: &types.HealthCheckCustomConfig{}})
	plain := e.dnsService(t, *ns.Id, "plain", "", "A")

	store, err := e.API.StoreForService(*custom.Arn)
	if err != nil {
		t.Fatal(err)
	}
	if store.Region() != region || store.Account() != account || store != e.API.Store(region) {
		t.Fatalf("StoreForService = %s/%s", store.Region(), store.Account())
	}
	attrs := map[string]string{
		"AWS_INSTANCE_IPV4": "172.17.0.5", "AWS_INSTANCE_PORT": "80", "AWS_INIT_HEALTH_STATUS": "UNHEALTHY",
		"ECS_CLUSTER_NAME": "dev", "ECS_SERVICE_NAME": "web", "ECS_TASK_DEFINITION_FAMILY": "web", "AVAILABILITY_ZONE": "us-east-1a", "REGION": "us-east-1",
	}
	if err := store.RegisterInstanceDirect(ctx, *custom.Arn, "0123456789abcdef0123456789abcdef", attrs); err != nil {
		t.Fatal(err)
	}
	attrs["ECS_CLUSTER_NAME"] = "mutated by the caller" // the store keeps its own copy

	// The API sees the instance, its attributes and initial health at once.
	got := must(e.C.GetInstance(ctx, &sd.GetInstanceInput{ServiceId: custom.Id, InstanceId: aws.String("0123456789abcdef0123456789abcdef")}))(t).Instance
	if got.Attributes["ECS_CLUSTER_NAME"] != "dev" || got.CreatorRequestId != nil {
		t.Errorf("instance = %+v", got)
	}
	health := func() types.HealthStatus {
		out := must(e.C.GetInstancesHealthStatus(ctx, &sd.GetInstancesHealthStatusInput{ServiceId: custom.Id}))(t)
		return out.Status["0123456789abcdef0123456789abcdef"]
	}
	if h := health(); h != types.HealthStatusUnhealthy {
		t.Errorf("initial health = %s", h)
	}
	if err := store.SetInstanceHealth(ctx, *custom.Id, "0123456789abcdef0123456789abcdef", types.CustomHealthStatusHealthy); err != nil {
		t.Fatal(err)
	}
	if h := health(); h != types.HealthStatusHealthy {
		t.Errorf("health after SetInstanceHealth = %s", h)
	}
	// Registrations from ECS show up as operations, as in AWS.
	ops := must(e.C.ListOperations(ctx, &sd.ListOperationsInput{Filters: []types.OperationFilter{{Name: "TYPE", Values: []string{"REGISTER_INSTANCE"}}}}))(t)
	if len(ops.Operations) != 1 {
		t.Errorf("REGISTER_INSTANCE operations = %d", len(ops.Operations))
	}

	tests := []struct {
		name string
		err  error
		want string
	}{
		{"register in an unknown service", store.RegisterInstanceDirect(ctx, "srv-nope", "t1", attrs), "ServiceNotFound"},
		{"register in a service of another region", store.RegisterInstanceDirect(ctx, strings.Replace(*custom.Arn, "us-east-1", "eu-west-1", 1), "t1", attrs), "ServiceNotFound"},
		{"register without an address", store.RegisterInstanceDirect(ctx, *plain.Id, "t1", map[string]string{"AWS_INSTANCE_PORT": "80"}), "InvalidInput"},
		{"register with a bad instance ID", store.RegisterInstanceDirect(ctx, *plain.Id, "t 1", attrs), "InvalidInput"},
		{"register with a bad address", store.RegisterInstanceDirect(ctx, *plain.Id, "t1", map[string]string{"AWS_INSTANCE_IPV4": "nope"}), "InvalidInput"},
		{"health of an instance not registered", store.SetInstanceHealth(ctx, *plain.Id, "t1", types.CustomHealthStatusHealthy), "InstanceNotFound"},
		{"health of an unknown instance", store.SetInstanceHealth(ctx, *custom.Id, "nope", types.CustomHealthStatusHealthy), "InstanceNotFound"},
		{"health of a bad status", store.SetInstanceHealth(ctx, *custom.Id, "0123456789abcdef0123456789abcdef", "UNKNOWN"), "InvalidInput"},
		{"deregister unknown", store.DeregisterInstanceDirect(ctx, *custom.Id, "nope"), "InstanceNotFound"},
		{"deregister in an unknown service", store.DeregisterInstanceDirect(ctx, "srv-nope", "t1"), "ServiceNotFound"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, tc.err, tc.want, 0)
		})
	}
	t.Run("health without a health check", func(t *testing.T) {
		if err := store.RegisterInstanceDirect(ctx, *plain.Id, "t1", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.1"}); err != nil {
			t.Fatal(err)
		}
		requireErr[*types.CustomHealthNotFound](t, store.SetInstanceHealth(ctx, *plain.Id, "t1", types.CustomHealthStatusHealthy))
	})
	t.Run("StoreForService of a non-ARN", func(t *testing.T) {
		_, err := e.API.StoreForService("srv-123")
		requireErr[*types.InvalidInput](t, err)
	})

	if err := store.DeregisterInstanceDirect(ctx, *custom.Arn, "0123456789abcdef0123456789abcdef"); err != nil {
		t.Fatal(err)
	}
	_, err = e.C.GetInstance(ctx, &sd.GetInstanceInput{ServiceId: custom.Id, InstanceId: aws.String("0123456789abcdef0123456789abcdef")})
	wantCode(t, err, "InstanceNotFound", s404)
}

// TestSetInstanceHealthRoute53 sets the result of a Route 53 health check,
// which the emulator does not probe itself.
func TestSetInstanceHealthRoute53(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	pub := e.publicNamespace(t, "example.com")
	svc := e.createService(t, &sd.CreateServiceInput{Name: aws.String("www"), NamespaceId: pub.Id,
		DnsConfig: &types.DnsConfig{DnsRecords: records("A")}, HealthCheckConfig: &types.HealthCheckConfig{Type: "HTTP"}})
	e.register(t, *svc.Id, "i-1", map[string]string{"AWS_INSTANCE_IPV4": "192.0.2.1", "AWS_INSTANCE_PORT": "80"})
	if err := e.API.Store(region).SetInstanceHealth(ctx, *svc.Id, "i-1", types.CustomHealthStatusUnhealthy); err != nil {
		t.Fatal(err)
	}
	out := must(e.C.DiscoverInstances(ctx, &sd.DiscoverInstancesInput{NamespaceName: aws.String("example.com"), ServiceName: aws.String("www"), HealthStatus: "UNHEALTHY"}))(t)
	if len(out.Instances) != 1 || out.Instances[0].HealthStatus != types.HealthStatusUnhealthy {
		t.Errorf("instances = %+v", out.Instances)
	}
}

func TestDNSSnapshot(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	if snap := e.API.DNSSnapshot(); len(snap.Regions) != 0 || snap.Version != 0 {
		t.Fatalf("empty snapshot = %+v", snap)
	}

	h := e.httpNamespace(t, "api")
	httpSvc := e.createService(t, &sd.CreateServiceInput{Name: aws.String("h"), NamespaceId: h.Id})
	e.register(t, *httpSvc.Id, "h1", map[string]string{"k": "v"})
	if got := e.changes.Load(); got != 0 {
		t.Errorf("HTTP namespace changes called OnChange %d times", got)
	}

	priv := e.privateNamespace(t, "internal.local", "vpc-1")
	web := e.createService(t, &sd.CreateServiceInput{Name: aws.String("web"), NamespaceId: priv.Id, HealthCheckCustomConfig: &types.HealthCheckCustomConfig{},
		DnsConfig: &types.DnsConfig{RoutingPolicy: "MULTIVALUE", DnsRecords: []types.DnsRecord{{Type: "A", TTL: aws.Int64(10)}, {Type: "SRV", TTL: aws.Int64(20)}}}})
	e.createService(t, &sd.CreateServiceInput{Name: aws.String("apionly"), NamespaceId: priv.Id, Type: types.ServiceTypeOptionHttp})
	e.register(t, *web.Id, "t1", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.1", "AWS_INSTANCE_PORT": "80"})
	e.register(t, *web.Id, "t2", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.2", "AWS_INSTANCE_PORT": "80", "AWS_INIT_HEALTH_STATUS": "UNHEALTHY"})
	pub := e.publicNamespace(t, "example.com")
	www := e.dnsService(t, *pub.Id, "www", "WEIGHTED", "CNAME")
	e.register(t, *www.Id, "c1", map[string]string{"AWS_INSTANCE_CNAME": "origin.example.net"})
	westNS := must(e.client("eu-west-1").CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("west.local"), Vpc: aws.String("vpc-9")}))(t)
	_ = westNS

	snap := e.API.DNSSnapshot()
	// namespace, service, two registrations, namespace, service,
	// registration, namespace in eu-west-1 (a Type HTTP service is not DNS).
	if snap.Version != 8 || e.changes.Load() != 8 {
		t.Errorf("Version = %d, OnChange calls = %d, want 8", snap.Version, e.changes.Load())
	}
	if len(snap.Regions) != 2 || snap.Regions[0].Region != "eu-west-1" || snap.Regions[1].Region != "us-east-1" || snap.Regions[1].Account != account {
		t.Fatalf("regions = %+v", snap.Regions)
	}
	east := snap.Regions[1].Namespaces
	if len(east) != 2 {
		t.Fatalf("us-east-1 DNS namespaces = %+v (HTTP namespaces are not DNS)", east)
	}
	p := east[0]
	if p.ID != *priv.Id || p.Name != "internal.local" || p.Type != types.NamespaceTypeDnsPrivate || p.Vpc != "vpc-1" || p.SOATTL != 15 ||
		p.HostedZoneID != aws.ToString(priv.Properties.DnsProperties.HostedZoneId) {
		t.Errorf("private namespace = %+v", p)
	}
	if len(p.Services) != 1 {
		t.Fatalf("services = %+v (Type HTTP services make no records)", p.Services)
	}
	s := p.Services[0]
	if s.ID != *web.Id || s.Name != "web" || s.RoutingPolicy != types.RoutingPolicyMultivalue || !s.HealthChecked ||
		fmt.Sprint(s.Records) != "[{A 10} {SRV 20}]" {
		t.Errorf("service = %+v", s)
	}
	if len(s.Instances) != 2 || s.Instances[0].ID != "t1" || s.Instances[0].IPv4() != "10.0.0.1" || s.Instances[0].Port() != "80" ||
		s.Instances[0].Health != types.HealthStatusHealthy || s.Instances[1].Health != types.HealthStatusUnhealthy {
		t.Errorf("instances = %+v", s.Instances)
	}
	c := east[1].Services[0].Instances[0]
	if east[1].Type != types.NamespaceTypeDnsPublic || c.CNAME() != "origin.example.net" || c.Health != types.HealthStatusUnknown ||
		c.IPv6() != "" || c.AliasDNSName() != "" || east[1].Services[0].HealthChecked {
		t.Errorf("public namespace = %+v", east[1])
	}

	// The snapshot shares nothing with the store.
	s.Instances[0].Attributes["AWS_INSTANCE_IPV4"] = "changed"
	if got := e.API.DNSSnapshot().Regions[1].Namespaces[0].Services[0].Instances[0].IPv4(); got != "10.0.0.1" {
		t.Errorf("store changed through a snapshot: %s", got)
	}

	steps := []struct {
		name  string
		do    func()
		check func(t *testing.T, snap cloudmap.Snapshot)
	}{
		{"health change", func() {
			must(e.C.UpdateInstanceCustomHealthStatus(ctx, &sd.UpdateInstanceCustomHealthStatusInput{ServiceId: web.Id, InstanceId: aws.String("t2"), Status: "HEALTHY"}))(t)
		}, func(t *testing.T, snap cloudmap.Snapshot) {
			if h := snap.Regions[1].Namespaces[0].Services[0].Instances[1].Health; h != types.HealthStatusHealthy {
				t.Errorf("t2 health = %s", h)
			}
		}},
		{"TTL change", func() {
			must(e.C.UpdateService(ctx, &sd.UpdateServiceInput{Id: web.Id, Service: &types.ServiceChange{DnsConfig: &types.DnsConfigChange{DnsRecords: []types.DnsRecord{{Type: "A", TTL: aws.Int64(99)}}}}}))(t)
		}, func(t *testing.T, snap cloudmap.Snapshot) {
			if r := snap.Regions[1].Namespaces[0].Services[0].Records; fmt.Sprint(r) != "[{A 99}]" {
				t.Errorf("records = %v", r)
			}
		}},
		{"deregistration", func() {
			must(e.C.DeregisterInstance(ctx, &sd.DeregisterInstanceInput{ServiceId: web.Id, InstanceId: aws.String("t1")}))(t)
		}, func(t *testing.T, snap cloudmap.Snapshot) {
			if n := len(snap.Regions[1].Namespaces[0].Services[0].Instances); n != 1 {
				t.Errorf("%d instances", n)
			}
		}},
		{"direct registration", func() {
			if err := e.API.Store(region).RegisterInstanceDirect(ctx, *web.Arn, "t3", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.3", "AWS_INSTANCE_PORT": "80"}); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, snap cloudmap.Snapshot) {
			if n := len(snap.Regions[1].Namespaces[0].Services[0].Instances); n != 2 {
				t.Errorf("%d instances", n)
			}
		}},
		{"namespace deletion", func() {
			must(e.C.DeregisterInstance(ctx, &sd.DeregisterInstanceInput{ServiceId: www.Id, InstanceId: aws.String("c1")}))(t)
			must(e.C.DeleteService(ctx, &sd.DeleteServiceInput{Id: www.Id}))(t)
			must(e.C.DeleteNamespace(ctx, &sd.DeleteNamespaceInput{Id: pub.Id}))(t)
		}, func(t *testing.T, snap cloudmap.Snapshot) {
			if n := len(snap.Regions[1].Namespaces); n != 1 {
				t.Errorf("%d namespaces", n)
			}
		}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			before := e.API.DNSSnapshot().Version
			st.do()
			snap := e.API.DNSSnapshot()
			if snap.Version <= before {
				t.Errorf("Version = %d, was %d", snap.Version, before)
			}
			st.check(t, snap)
		})
	}

	t.Run("unchanged DNS keeps the version", func(t *testing.T) {
		before := e.API.DNSSnapshot().Version
		must(e.C.UpdateServiceAttributes(ctx, &sd.UpdateServiceAttributesInput{ServiceId: web.Id, Attributes: map[string]string{"a": "b"}}))(t)
		must(e.C.TagResource(ctx, &sd.TagResourceInput{ResourceARN: priv.Arn, Tags: []types.Tag{tag("a", "b")}}))(t)
		must(e.C.UpdatePrivateDnsNamespace(ctx, &sd.UpdatePrivateDnsNamespaceInput{Id: priv.Id, Namespace: &types.PrivateDnsNamespaceChange{Description: aws.String("d")}}))(t)
		if after := e.API.DNSSnapshot().Version; after != before {
			t.Errorf("Version %d → %d", before, after)
		}
	})
}

// TestOnChangeOutsideLock: OnChange may read the store (a DNS server
// rebuilding its snapshot) without deadlocking.
func TestOnChangeOutsideLock(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var mu sync.Mutex
	var seen []int
	e.setOnChange(func() {
		snap := e.API.DNSSnapshot()
		n := 0
		for _, r := range snap.Regions {
			for _, ns := range r.Namespaces {
				for _, s := range ns.Services {
					n += len(s.Instances)
				}
			}
		}
		mu.Lock()
		seen = append(seen, n)
		mu.Unlock()
	})
	ns := e.privateNamespace(t, "internal.local", "vpc-1")
	svc := e.dnsService(t, *ns.Id, "web", "", "A")
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.register(t, *svc.Id, "i-1", ip(1))
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("RegisterInstance deadlocked with an OnChange that reads the snapshot")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 3 || seen[2] != 1 {
		t.Errorf("instances seen by OnChange = %v", seen)
	}
}

// TestConcurrentUse races registrations, health changes, reads and
// snapshots (meaningful under -race).
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	ns := e.privateNamespace(t, "internal.local", "vpc-1")
	svc := e.createService(t, &sd.CreateServiceInput{Name: aws.String("web"), NamespaceId: ns.Id,
		DnsConfig: &types.DnsConfig{DnsRecords: records("A")}, HealthCheckCustomConfig: &types.HealthCheckCustomConfig{}})
	store := e.API.Store(region)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 50 {
				id := fmt.Sprintf("w%d-%d", w, i)
				if err := store.RegisterInstanceDirect(ctx, *svc.Id, id, ip(i)); err != nil {
					t.Error(err)
					return
				}
				_ = store.SetInstanceHealth(ctx, *svc.Id, id, types.CustomHealthStatusUnhealthy)
				if i%2 == 0 {
					_ = store.DeregisterInstanceDirect(ctx, *svc.Id, id)
				}
			}
		})
	}
	wg.Go(func() {
		for range 50 {
			snap := e.API.DNSSnapshot()
			for _, r := range snap.Regions {
				for _, n := range r.Namespaces {
					for _, s := range n.Services {
						for _, inst := range s.Instances {
							_ = inst.IPv4()
						}
					}
				}
			}
			if _, err := e.C.DiscoverInstances(ctx, &sd.DiscoverInstancesInput{NamespaceName: aws.String("internal.local"), ServiceName: aws.String("web"), HealthStatus: "ALL"}); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	out := must(e.C.ListInstances(ctx, &sd.ListInstancesInput{ServiceId: svc.Id}))(t)
	if len(out.Instances) != 100 {
		t.Errorf("%d instances left, want 100", len(out.Instances))
	}
}
