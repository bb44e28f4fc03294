package servicediscovery_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
)

func TestRegisterInstance(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	ns := e.privateNamespace(t, "internal.local", "vpc-1")
	svc := e.dnsService(t, *ns.Id, "web", "", "A", "SRV")

	attrs := map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.1", "AWS_INSTANCE_PORT": "8080", "version": "v1"}
	opID := must(e.C.RegisterInstance(ctx, &sd.RegisterInstanceInput{
		ServiceId: svc.Id, InstanceId: aws.String("task-1"), Attributes: attrs, CreatorRequestId: aws.String("reg-1"),
	}))(t).OperationId
	op := must(e.C.GetOperation(ctx, &sd.GetOperationInput{OperationId: opID}))(t).Operation
	if op.Type != types.OperationTypeRegisterInstance || op.Targets["INSTANCE"] != "task-1" || op.Targets["SERVICE"] != aws.ToString(svc.Id) {
		t.Errorf("operation = %s %v", op.Type, op.Targets)
	}

	got := must(e.C.GetInstance(ctx, &sd.GetInstanceInput{ServiceId: svc.Arn, InstanceId: aws.String("task-1")}))(t)
	if aws.ToString(got.Instance.Id) != "task-1" || fmt.Sprint(got.Instance.Attributes) != fmt.Sprint(attrs) ||
		aws.ToString(got.Instance.CreatorRequestId) != "reg-1" || aws.ToString(got.Instance.CreatedByAccount) != account || aws.ToString(got.ResourceOwner) != account {
		t.Errorf("GetInstance = %+v", got.Instance)
	}
	if n := aws.ToInt32(must(e.C.GetService(ctx, &sd.GetServiceInput{Id: svc.Id}))(t).Service.InstanceCount); n != 1 {
		t.Errorf("InstanceCount = %d", n)
	}

	// Registering the same ID again replaces the attributes.
	e.register(t, *svc.Id, "task-1", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.2", "AWS_INSTANCE_PORT": "80"})
	got = must(e.C.GetInstance(ctx, &sd.GetInstanceInput{ServiceId: svc.Id, InstanceId: aws.String("task-1")}))(t)
	if fmt.Sprint(got.Instance.Attributes) != "map[AWS_INSTANCE_IPV4:10.0.0.2 AWS_INSTANCE_PORT:80]" {
		t.Errorf("re-registered attributes = %v", got.Instance.Attributes)
	}
	if n := aws.ToInt32(must(e.C.GetService(ctx, &sd.GetServiceInput{Id: svc.Id}))(t).Service.InstanceCount); n != 1 {
		t.Errorf("InstanceCount after re-registering = %d", n)
	}

	// The SDK retries with the same token: a DuplicateRequest while the
	// first registration runs.
	retry := &sd.RegisterInstanceInput{ServiceId: svc.Id, InstanceId: aws.String("task-2"), Attributes: attrs, CreatorRequestId: aws.String("reg-2")}
	first := must(e.C.RegisterInstance(ctx, retry))(t)
	_, err := e.C.RegisterInstance(ctx, retry)
	wantCode(t, err, "DuplicateRequest", s409)
	if dup := requireErr[*types.DuplicateRequest](t, err); aws.ToString(dup.DuplicateOperationId) != *first.OperationId {
		t.Errorf("DuplicateOperationId = %s", aws.ToString(dup.DuplicateOperationId))
	}
	e.Clock.Advance(time.Second)
	must(e.C.RegisterInstance(ctx, retry))(t)

	opID = must(e.C.DeregisterInstance(ctx, &sd.DeregisterInstanceInput{ServiceId: svc.Id, InstanceId: aws.String("task-1")}))(t).OperationId
	op = must(e.C.GetOperation(ctx, &sd.GetOperationInput{OperationId: opID}))(t).Operation
	if op.Type != types.OperationTypeDeregisterInstance || op.Targets["INSTANCE"] != "task-1" {
		t.Errorf("operation = %s %v", op.Type, op.Targets)
	}
	runErrCases(t, []errCase{
		{"get after deregistering", call(e.C.GetInstance, &sd.GetInstanceInput{ServiceId: svc.Id, InstanceId: aws.String("task-1")}), "InstanceNotFound", s404},
		{"deregister again", call(e.C.DeregisterInstance, &sd.DeregisterInstanceInput{ServiceId: svc.Id, InstanceId: aws.String("task-1")}), "InstanceNotFound", s404},
		{"deregister from an unknown service", call(e.C.DeregisterInstance, &sd.DeregisterInstanceInput{ServiceId: aws.String("srv-nope"), InstanceId: aws.String("task-2")}), "ServiceNotFound", s404},
		{"get from an unknown service", call(e.C.GetInstance, &sd.GetInstanceInput{ServiceId: aws.String("srv-nope"), InstanceId: aws.String("task-2")}), "ServiceNotFound", s404},
		{"get with a bad instance ID", call(e.C.GetInstance, &sd.GetInstanceInput{ServiceId: svc.Id, InstanceId: aws.String("a b")}), "InvalidInput", s400},
	})
}

func TestRegisterInstanceErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	raw := e.unvalidated()
	priv := e.privateNamespace(t, "internal.local", "vpc-1")
	pub := e.publicNamespace(t, "example.com")
	h := e.httpNamespace(t, "api")
	a := e.dnsService(t, *priv.Id, "a", "", "A")
	aaaa := e.dnsService(t, *priv.Id, "aaaa", "", "AAAA")
	srv := e.dnsService(t, *priv.Id, "srv", "", "SRV")
	cname := e.dnsService(t, *priv.Id, "cname", "WEIGHTED", "CNAME")
	multi := e.dnsService(t, *priv.Id, "multi", "MULTIVALUE", "A")
	weighted := e.dnsService(t, *priv.Id, "weighted", "WEIGHTED", "A")
	checked := e.createService(t, &sd.CreateServiceInput{Name: aws.String("checked"), NamespaceId: pub.Id,
		DnsConfig: &types.DnsConfig{DnsRecords: records("A")}, HealthCheckConfig: &types.HealthCheckConfig{Type: "TCP"}})
	httpSvc := e.createService(t, &sd.CreateServiceInput{Name: aws.String("h"), NamespaceId: h.Id})

	reg := func(svc types.Service, id string, attrs map[string]string) func(context.Context) error {
		return call(e.C.RegisterInstance, &sd.RegisterInstanceInput{ServiceId: svc.Id, InstanceId: aws.String(id), Attributes: attrs})
	}
	manyCustom := map[string]string{}
	for i := range 31 {
		manyCustom[fmt.Sprintf("k%d", i)] = "v"
	}
	runErrCases(t, []errCase{
		{"no attributes", call(raw.RegisterInstance, &sd.RegisterInstanceInput{ServiceId: a.Id, InstanceId: aws.String("i")}), "InvalidInput", s400},
		{"no instance ID", call(raw.RegisterInstance, &sd.RegisterInstanceInput{ServiceId: a.Id, Attributes: ip(1)}), "InvalidInput", s400},
		{"no service ID", call(raw.RegisterInstance, &sd.RegisterInstanceInput{InstanceId: aws.String("i"), Attributes: ip(1)}), "InvalidInput", s400},
		{"instance ID with a space", reg(a, "i 1", ip(1)), "InvalidInput", s400},
		{"instance ID of 65 characters", reg(a, strings.Repeat("i", 65), ip(1)), "InvalidInput", s400},
		{"unknown service", call(e.C.RegisterInstance, &sd.RegisterInstanceInput{ServiceId: aws.String("srv-nope"), InstanceId: aws.String("i"), Attributes: ip(1)}), "ServiceNotFound", s404},
		{"A without IPv4", reg(a, "i", map[string]string{"x": "y"}), "InvalidInput", s400},
		{"bad IPv4", reg(a, "i", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.300"}), "InvalidInput", s400},
		{"IPv6 as IPv4", reg(a, "i", map[string]string{"AWS_INSTANCE_IPV4": "::1"}), "InvalidInput", s400},
		{"AAAA without IPv6", reg(aaaa, "i", ip(1)), "InvalidInput", s400},
		{"bad IPv6", reg(aaaa, "i", map[string]string{"AWS_INSTANCE_IPV6": "10.0.0.1"}), "InvalidInput", s400},
		{"SRV without port", reg(srv, "i", ip(1)), "InvalidInput", s400},
		{"SRV without address", reg(srv, "i", map[string]string{"AWS_INSTANCE_PORT": "80"}), "InvalidInput", s400},
		{"bad port", reg(srv, "i", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.1", "AWS_INSTANCE_PORT": "http"}), "InvalidInput", s400},
		{"port out of range", reg(srv, "i", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.1", "AWS_INSTANCE_PORT": "65536"}), "InvalidInput", s400},
		{"CNAME without target", reg(cname, "i", ip(1)), "InvalidInput", s400},
		{"alias with multivalue", reg(multi, "i", map[string]string{"AWS_ALIAS_DNS_NAME": "lb.example.com"}), "InvalidInput", s400},
		{"alias with an address", reg(weighted, "i", map[string]string{"AWS_ALIAS_DNS_NAME": "lb.example.com", "AWS_INSTANCE_IPV4": "10.0.0.1"}), "InvalidInput", s400},
		{"alias in an HTTP namespace", reg(httpSvc, "i", map[string]string{"AWS_ALIAS_DNS_NAME": "lb.example.com"}), "InvalidInput", s400},
		{"EC2 instance ID in a DNS namespace", reg(a, "i", map[string]string{"AWS_EC2_INSTANCE_ID": "i-0123", "AWS_INSTANCE_IPV4": "10.0.0.1"}), "InvalidInput", s400},
		{"EC2 instance ID with a port", reg(httpSvc, "i", map[string]string{"AWS_EC2_INSTANCE_ID": "i-0123", "AWS_INSTANCE_PORT": "80"}), "InvalidInput", s400},
		{"health check without port", reg(checked, "i", ip(1)), "InvalidInput", s400},
		{"bad initial health", reg(a, "i", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.1", "AWS_INIT_HEALTH_STATUS": "SICK"}), "InvalidInput", s400},
		{"31 custom attributes", reg(httpSvc, "i", manyCustom), "InvalidInput", s400},
		{"attributes over 5000 characters", reg(httpSvc, "i", map[string]string{"a": strings.Repeat("v", 1000), "b": strings.Repeat("v", 1000),
			"c": strings.Repeat("v", 1000), "d": strings.Repeat("v", 1000), "e": strings.Repeat("v", 1000)}), "InvalidInput", s400},
		{"key with a space", reg(httpSvc, "i", map[string]string{"a b": "v"}), "InvalidInput", s400},
		{"value starting with a space", reg(httpSvc, "i", map[string]string{"a": " v"}), "InvalidInput", s400},
		{"value too long", reg(httpSvc, "i", map[string]string{"a": strings.Repeat("v", 1025)}), "InvalidInput", s400},
	})

	t.Run("accepted", func(t *testing.T) {
		e.register(t, *aaaa.Id, "v6", map[string]string{"AWS_INSTANCE_IPV6": "2001:db8::1"})
		e.register(t, *cname.Id, "c", map[string]string{"AWS_INSTANCE_CNAME": "www.example.com"})
		e.register(t, *weighted.Id, "lb", map[string]string{"AWS_ALIAS_DNS_NAME": "lb-1.us-east-1.elb.amazonaws.com"})
		e.register(t, *httpSvc.Id, "ec2", map[string]string{"AWS_EC2_INSTANCE_ID": "i-0123", "AWS_INIT_HEALTH_STATUS": "HEALTHY"})
		e.register(t, *httpSvc.Id, "empty", map[string]string{})
		e.register(t, *httpSvc.Id, "spaces", map[string]string{"note": "a b\tc "})
		e.register(t, *checked.Id, "p", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.1", "AWS_INSTANCE_PORT": "80"})
		e.register(t, *srv.Id, "s", map[string]string{"AWS_INSTANCE_IPV6": "2001:db8::2", "AWS_INSTANCE_PORT": "0"})
	})
}

func TestInstanceLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ns := e.httpNamespace(t, "api")
	svc := e.createService(t, &sd.CreateServiceInput{Name: aws.String("web"), NamespaceId: ns.Id})
	store := e.API.Store(region)
	for i := range 1000 {
		if err := store.RegisterInstanceDirect(t.Context(), *svc.Id, fmt.Sprintf("i-%d", i), nil); err != nil {
			t.Fatal(err)
		}
	}
	_, err := e.C.RegisterInstance(t.Context(), &sd.RegisterInstanceInput{ServiceId: svc.Id, InstanceId: aws.String("i-1000"), Attributes: map[string]string{}})
	wantCode(t, err, "ResourceLimitExceeded", s400)
	// Re-registering an existing instance is not a new one.
	e.register(t, *svc.Id, "i-999", map[string]string{"again": "yes"})
}

func TestListInstances(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	ns := e.privateNamespace(t, "internal.local", "vpc-1")
	svc := e.dnsService(t, *ns.Id, "web", "", "A")
	for i := range 5 {
		e.register(t, *svc.Id, fmt.Sprintf("i-%d", i), ip(i))
	}
	var ids []string
	pages := 0
	p := sd.NewListInstancesPaginator(e.C, &sd.ListInstancesInput{ServiceId: svc.Id, MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		out := must(p.NextPage(ctx))(t)
		pages++
		if aws.ToString(out.ResourceOwner) != account {
			t.Errorf("ResourceOwner = %q", aws.ToString(out.ResourceOwner))
		}
		for _, inst := range out.Instances {
			ids = append(ids, aws.ToString(inst.Id)+"="+inst.Attributes["AWS_INSTANCE_IPV4"])
			if aws.ToString(inst.CreatedByAccount) != account {
				t.Errorf("CreatedByAccount = %q", aws.ToString(inst.CreatedByAccount))
			}
		}
	}
	if got := strings.Join(ids, ","); pages != 3 || got != "i-0=10.0.0.0,i-1=10.0.0.1,i-2=10.0.0.2,i-3=10.0.0.3,i-4=10.0.0.4" {
		t.Errorf("%d pages: %s", pages, got)
	}
	empty := e.dnsService(t, *ns.Id, "empty", "", "A")
	if out := must(e.C.ListInstances(ctx, &sd.ListInstancesInput{ServiceId: empty.Arn}))(t); out.Instances == nil || len(out.Instances) != 0 {
		t.Errorf("empty service: %v", out.Instances)
	}
	runErrCases(t, []errCase{
		{"unknown service", call(e.C.ListInstances, &sd.ListInstancesInput{ServiceId: aws.String("srv-nope")}), "ServiceNotFound", s404},
		{"MaxResults 101", call(e.C.ListInstances, &sd.ListInstancesInput{ServiceId: svc.Id, MaxResults: aws.Int32(101)}), "InvalidInput", s400},
		{"token beyond the end", call(e.C.ListInstances, &sd.ListInstancesInput{ServiceId: empty.Id, NextToken: p0(e, t, svc)}), "InvalidInput", s400},
	})
}

// p0 is a NextToken of a five-instance listing, which points past the end
// of a shorter one.
func p0(e *env, t *testing.T, svc types.Service) *string {
	out := must(e.C.ListInstances(t.Context(), &sd.ListInstancesInput{ServiceId: svc.Id, MaxResults: aws.Int32(4)}))(t)
	return out.NextToken
}

func TestInstanceHealth(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	priv := e.privateNamespace(t, "internal.local", "vpc-1")
	pub := e.publicNamespace(t, "example.com")
	none := e.dnsService(t, *priv.Id, "none", "", "A")
	custom := e.createService(t, &sd.CreateServiceInput{Name: aws.String("custom"), NamespaceId: priv.Id,
		DnsConfig: &types.DnsConfig{DnsRecords: records("A")}, HealthCheckCustomConfig: &types.HealthCheckCustomConfig{}})
	route53 := e.createService(t, &sd.CreateServiceInput{Name: aws.String("r53"), NamespaceId: pub.Id,
		DnsConfig: &types.DnsConfig{DnsRecords: records("A")}, HealthCheckConfig: &types.HealthCheckConfig{Type: "HTTP"}})

	e.register(t, *none.Id, "n1", ip(1))
	e.register(t, *custom.Id, "c1", ip(1))
	e.register(t, *custom.Id, "c2", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.2", "AWS_INIT_HEALTH_STATUS": "UNHEALTHY"})
	e.register(t, *custom.Id, "c3", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.3", "AWS_INIT_HEALTH_STATUS": "HEALTHY"})
	e.register(t, *route53.Id, "r1", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.1", "AWS_INSTANCE_PORT": "80"})

	status := func(svc types.Service, ids ...string) string {
		t.Helper()
		out := must(e.C.GetInstancesHealthStatus(ctx, &sd.GetInstancesHealthStatusInput{ServiceId: svc.Id, Instances: ids}))(t)
		return fmt.Sprint(out.Status)
	}
	tests := []struct {
		name string
		svc  types.Service
		ids  []string
		want string
	}{
		{"no health check: UNKNOWN", none, nil, "map[n1:UNKNOWN]"},
		{"custom: initial status, default HEALTHY", custom, nil, "map[c1:HEALTHY c2:UNHEALTHY c3:HEALTHY]"},
		{"custom: chosen instances", custom, []string{"c2", "c2"}, "map[c2:UNHEALTHY]"},
		{"Route 53 check: HEALTHY", route53, nil, "map[r1:HEALTHY]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := status(tc.svc, tc.ids...); got != tc.want {
				t.Errorf("status = %s, want %s", got, tc.want)
			}
		})
	}

	t.Run("UpdateInstanceCustomHealthStatus", func(t *testing.T) {
		before := e.changes.Load()
		must(e.C.UpdateInstanceCustomHealthStatus(ctx, &sd.UpdateInstanceCustomHealthStatusInput{ServiceId: custom.Id, InstanceId: aws.String("c1"), Status: "UNHEALTHY"}))(t)
		must(e.C.UpdateInstanceCustomHealthStatus(ctx, &sd.UpdateInstanceCustomHealthStatusInput{ServiceId: custom.Arn, InstanceId: aws.String("c2"), Status: "HEALTHY"}))(t)
		if got := status(custom); got != "map[c1:UNHEALTHY c2:HEALTHY c3:HEALTHY]" {
			t.Errorf("status = %s", got)
		}
		if e.changes.Load()-before != 2 {
			t.Errorf("OnChange called %d times for two health changes", e.changes.Load()-before)
		}
		// Setting the same status again changes nothing DNS serves.
		before = e.changes.Load()
		must(e.C.UpdateInstanceCustomHealthStatus(ctx, &sd.UpdateInstanceCustomHealthStatusInput{ServiceId: custom.Id, InstanceId: aws.String("c1"), Status: "UNHEALTHY"}))(t)
		if e.changes.Load() != before {
			t.Error("OnChange called for an unchanged status")
		}
		// Re-registering starts the custom check over.
		e.register(t, *custom.Id, "c1", ip(1))
		if got := status(custom, "c1"); got != "map[c1:HEALTHY]" {
			t.Errorf("after re-registering: %s", got)
		}
	})

	t.Run("paging", func(t *testing.T) {
		out := must(e.C.GetInstancesHealthStatus(ctx, &sd.GetInstancesHealthStatusInput{ServiceId: custom.Id, MaxResults: aws.Int32(2)}))(t)
		if len(out.Status) != 2 || out.NextToken == nil {
			t.Fatalf("first page = %v, token %v", out.Status, out.NextToken)
		}
		out = must(e.C.GetInstancesHealthStatus(ctx, &sd.GetInstancesHealthStatusInput{ServiceId: custom.Id, MaxResults: aws.Int32(2), NextToken: out.NextToken}))(t)
		if fmt.Sprint(out.Status) != "map[c3:HEALTHY]" || out.NextToken != nil {
			t.Errorf("second page = %v, token %v", out.Status, out.NextToken)
		}
	})

	runErrCases(t, []errCase{
		{"custom status without a custom check", call(e.C.UpdateInstanceCustomHealthStatus, &sd.UpdateInstanceCustomHealthStatusInput{ServiceId: none.Id, InstanceId: aws.String("n1"), Status: "HEALTHY"}), "CustomHealthNotFound", s404},
		{"custom status for a Route 53 check", call(e.C.UpdateInstanceCustomHealthStatus, &sd.UpdateInstanceCustomHealthStatusInput{ServiceId: route53.Id, InstanceId: aws.String("r1"), Status: "HEALTHY"}), "CustomHealthNotFound", s404},
		{"custom status of an unknown instance", call(e.C.UpdateInstanceCustomHealthStatus, &sd.UpdateInstanceCustomHealthStatusInput{ServiceId: custom.Id, InstanceId: aws.String("nope"), Status: "HEALTHY"}), "InstanceNotFound", s404},
		{"custom status in an unknown service", call(e.C.UpdateInstanceCustomHealthStatus, &sd.UpdateInstanceCustomHealthStatusInput{ServiceId: aws.String("srv-nope"), InstanceId: aws.String("c1"), Status: "HEALTHY"}), "ServiceNotFound", s404},
		{"bad status", call(e.unvalidated().UpdateInstanceCustomHealthStatus, &sd.UpdateInstanceCustomHealthStatusInput{ServiceId: custom.Id, InstanceId: aws.String("c1"), Status: "UNKNOWN"}), "InvalidInput", s400},
		{"status of an unknown instance", call(e.C.GetInstancesHealthStatus, &sd.GetInstancesHealthStatusInput{ServiceId: custom.Id, Instances: []string{"c1", "nope"}}), "InstanceNotFound", s404},
		{"status in an unknown service", call(e.C.GetInstancesHealthStatus, &sd.GetInstancesHealthStatusInput{ServiceId: aws.String("srv-nope")}), "ServiceNotFound", s404},
		{"empty instance list", call(e.C.GetInstancesHealthStatus, &sd.GetInstancesHealthStatusInput{ServiceId: custom.Id, Instances: []string{}}), "InvalidInput", s400},
	})
}
