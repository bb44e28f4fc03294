package servicediscovery_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
)

func instanceIDs(out *sd.DiscoverInstancesOutput) string {
	var ids []string
	for _, inst := range out.Instances {
		ids = append(ids, aws.ToString(inst.InstanceId))
	}
	slices.Sort(ids)
	return strings.Join(ids, ",")
}

func TestDiscoverInstances(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	ns := e.privateNamespace(t, "internal.local", "vpc-1")
	h := e.httpNamespace(t, "api")
	custom := e.createService(t, &sd.CreateServiceInput{Name: aws.String("web"), NamespaceId: ns.Id,
		DnsConfig: &types.DnsConfig{DnsRecords: records("A")}, HealthCheckCustomConfig: &types.HealthCheckCustomConfig{}})
	plain := e.createService(t, &sd.CreateServiceInput{Name: aws.String("Backend"), NamespaceId: h.Id})
	unhealthy := e.createService(t, &sd.CreateServiceInput{Name: aws.String("down"), NamespaceId: h.Id, HealthCheckCustomConfig: &types.HealthCheckCustomConfig{}})

	reg := func(svc types.Service, id, version, az, health string) {
		attrs := map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.1", "version": version, "az": az}
		if health != "" {
			attrs["AWS_INIT_HEALTH_STATUS"] = health
		}
		e.register(t, *svc.Id, id, attrs)
	}
	reg(custom, "a", "v1", "1a", "")
	reg(custom, "b", "v1", "1b", "UNHEALTHY")
	reg(custom, "c", "v2", "1a", "")
	reg(custom, "d", "v2", "1b", "UNHEALTHY")
	reg(plain, "p1", "v1", "1a", "UNHEALTHY") // ignored: no health check
	reg(plain, "p2", "v2", "1b", "")
	reg(unhealthy, "u1", "v1", "1a", "UNHEALTHY")
	reg(unhealthy, "u2", "v1", "1b", "UNHEALTHY")

	discover := func(ns, svc string, mod func(*sd.DiscoverInstancesInput)) *sd.DiscoverInstancesInput {
		in := &sd.DiscoverInstancesInput{NamespaceName: aws.String(ns), ServiceName: aws.String(svc)}
		if mod != nil {
			mod(in)
		}
		return in
	}
	tests := []struct {
		name string
		in   *sd.DiscoverInstancesInput
		want string
	}{
		{"default is HEALTHY", discover("internal.local", "web", nil), "a,c"},
		{"ALL", discover("internal.local", "web", func(in *sd.DiscoverInstancesInput) { in.HealthStatus = "ALL" }), "a,b,c,d"},
		{"UNHEALTHY", discover("internal.local", "web", func(in *sd.DiscoverInstancesInput) { in.HealthStatus = "UNHEALTHY" }), "b,d"},
		{"HEALTHY_OR_ELSE_ALL with healthy ones", discover("internal.local", "web", func(in *sd.DiscoverInstancesInput) { in.HealthStatus = "HEALTHY_OR_ELSE_ALL" }), "a,c"},
		{"HEALTHY_OR_ELSE_ALL fails open", discover("api", "down", func(in *sd.DiscoverInstancesInput) { in.HealthStatus = "HEALTHY_OR_ELSE_ALL" }), "u1,u2"},
		{"HEALTHY when none is", discover("api", "down", nil), ""},
		{"query parameters", discover("internal.local", "web", func(in *sd.DiscoverInstancesInput) {
			in.HealthStatus = "ALL"
			in.QueryParameters = map[string]string{"version": "v2"}
		}), "c,d"},
		{"query parameters all match", discover("internal.local", "web", func(in *sd.DiscoverInstancesInput) {
			in.HealthStatus = "ALL"
			in.QueryParameters = map[string]string{"version": "v2", "az": "1b"}
		}), "d"},
		{"query parameters match nothing", discover("internal.local", "web", func(in *sd.DiscoverInstancesInput) {
			in.QueryParameters = map[string]string{"version": "v3"}
		}), ""},
		{"optional parameters narrow", discover("internal.local", "web", func(in *sd.DiscoverInstancesInput) {
			in.OptionalParameters = map[string]string{"az": "1a"}
			in.HealthStatus = "ALL"
		}), "a,c"},
		{"optional parameters ignored when nothing matches", discover("internal.local", "web", func(in *sd.DiscoverInstancesInput) {
			in.OptionalParameters = map[string]string{"az": "1c"}
		}), "a,c"},
		{"optional parameters after health", discover("internal.local", "web", func(in *sd.DiscoverInstancesInput) {
			in.OptionalParameters = map[string]string{"az": "1b"} // only unhealthy ones match
		}), "a,c"},
		{"health ignored without a health check", discover("api", "Backend", nil), "p1,p2"},
		{"health filter ignored without a health check", discover("api", "Backend", func(in *sd.DiscoverInstancesInput) { in.HealthStatus = "UNHEALTHY" }), "p1,p2"},
		{"DNS names compare case-insensitively", discover("INTERNAL.local", "WEB", nil), "a,c"},
		{"own account", discover("api", "Backend", func(in *sd.DiscoverInstancesInput) { in.OwnerAccount = aws.String(account) }), "p1,p2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := must(e.C.DiscoverInstances(ctx, tc.in))(t)
			if got := instanceIDs(out); got != tc.want {
				t.Errorf("instances = %q, want %q", got, tc.want)
			}
			if out.Instances == nil {
				t.Error("Instances is null, want a list")
			}
		})
	}

	t.Run("summaries", func(t *testing.T) {
		out := must(e.C.DiscoverInstances(ctx, discover("internal.local", "web", func(in *sd.DiscoverInstancesInput) {
			in.QueryParameters = map[string]string{"version": "v1"}
		})))(t)
		if len(out.Instances) != 1 {
			t.Fatalf("instances = %+v", out.Instances)
		}
		inst := out.Instances[0]
		if aws.ToString(inst.NamespaceName) != "internal.local" || aws.ToString(inst.ServiceName) != "web" || inst.HealthStatus != types.HealthStatusHealthy ||
			inst.Attributes["version"] != "v1" || aws.ToInt64(out.InstancesRevision) != 4 {
			t.Errorf("summary = %+v, revision %d", inst, aws.ToInt64(out.InstancesRevision))
		}
		out = must(e.C.DiscoverInstances(ctx, discover("api", "Backend", nil)))(t)
		if out.Instances[0].HealthStatus != types.HealthStatusUnknown {
			t.Errorf("health without a check = %s, want UNKNOWN", out.Instances[0].HealthStatus)
		}
	})

	t.Run("MaxResults", func(t *testing.T) {
		out := must(e.C.DiscoverInstances(ctx, discover("internal.local", "web", func(in *sd.DiscoverInstancesInput) {
			in.HealthStatus = "ALL"
			in.MaxResults = aws.Int32(3)
		})))(t)
		if len(out.Instances) != 3 {
			t.Errorf("%d instances, want 3", len(out.Instances))
		}
	})

	runErrCases(t, []errCase{
		{"unknown namespace", call(e.C.DiscoverInstances, discover("nope", "web", nil)), "NamespaceNotFound", s404},
		{"unknown service", call(e.C.DiscoverInstances, discover("internal.local", "nope", nil)), "ServiceNotFound", s404},
		{"HTTP names are case-sensitive", call(e.C.DiscoverInstances, discover("API", "Backend", nil)), "NamespaceNotFound", s404},
		{"HTTP service names are case-sensitive", call(e.C.DiscoverInstances, discover("api", "backend", nil)), "ServiceNotFound", s404},
		{"another owner", call(e.C.DiscoverInstances, discover("api", "Backend", func(in *sd.DiscoverInstancesInput) { in.OwnerAccount = aws.String("111122223333") })), "NamespaceNotFound", s404},
		{"owner of 11 digits", call(e.C.DiscoverInstances, discover("api", "Backend", func(in *sd.DiscoverInstancesInput) { in.OwnerAccount = aws.String("11112222333") })), "InvalidInput", s400},
		{"MaxResults 0", call(e.C.DiscoverInstances, discover("api", "Backend", func(in *sd.DiscoverInstancesInput) { in.MaxResults = aws.Int32(0) })), "InvalidInput", s400},
		{"MaxResults 1001", call(e.C.DiscoverInstances, discover("api", "Backend", func(in *sd.DiscoverInstancesInput) { in.MaxResults = aws.Int32(1001) })), "InvalidInput", s400},
		{"bad health filter", call(e.C.DiscoverInstances, discover("api", "Backend", func(in *sd.DiscoverInstancesInput) { in.HealthStatus = "SOME" })), "InvalidInput", s400},
		{"bad query key", call(e.C.DiscoverInstances, discover("api", "Backend", func(in *sd.DiscoverInstancesInput) { in.QueryParameters = map[string]string{"a b": "c"} })), "InvalidInput", s400},
		{"no namespace name", call(e.unvalidated().DiscoverInstances, &sd.DiscoverInstancesInput{ServiceName: aws.String("web")}), "InvalidInput", s400},
		{"revision: unknown namespace", call(e.C.DiscoverInstancesRevision, &sd.DiscoverInstancesRevisionInput{NamespaceName: aws.String("nope"), ServiceName: aws.String("web")}), "NamespaceNotFound", s404},
		{"revision: unknown service", call(e.C.DiscoverInstancesRevision, &sd.DiscoverInstancesRevisionInput{NamespaceName: aws.String("api"), ServiceName: aws.String("web")}), "ServiceNotFound", s404},
	})
}

func TestDiscoverInstancesRandomOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ns := e.httpNamespace(t, "api")
	svc := e.createService(t, &sd.CreateServiceInput{Name: aws.String("web"), NamespaceId: ns.Id})
	for i := range 6 {
		e.register(t, *svc.Id, fmt.Sprintf("i-%d", i), map[string]string{})
	}
	orders := map[string]bool{}
	for range 30 {
		out := must(e.C.DiscoverInstances(t.Context(), &sd.DiscoverInstancesInput{NamespaceName: aws.String("api"), ServiceName: aws.String("web")}))(t)
		var ids []string
		for _, inst := range out.Instances {
			ids = append(ids, aws.ToString(inst.InstanceId))
		}
		if len(ids) != 6 {
			t.Fatalf("instances = %v", ids)
		}
		orders[strings.Join(ids, ",")] = true
	}
	// 30 draws of 720 orders all alike: probability 720^-29.
	if len(orders) < 2 {
		t.Errorf("DiscoverInstances always answers in the same order: %v", orders)
	}
}

func TestInstancesRevision(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	ns := e.httpNamespace(t, "api")
	svc := e.createService(t, &sd.CreateServiceInput{Name: aws.String("web"), NamespaceId: ns.Id, HealthCheckCustomConfig: &types.HealthCheckCustomConfig{}})
	revision := func() int64 {
		t.Helper()
		out := must(e.C.DiscoverInstancesRevision(ctx, &sd.DiscoverInstancesRevisionInput{NamespaceName: aws.String("api"), ServiceName: aws.String("web")}))(t)
		return aws.ToInt64(out.InstancesRevision)
	}
	steps := []struct {
		name string
		do   func()
		want int64
	}{
		{"new service", func() {}, 0},
		{"register", func() { e.register(t, *svc.Id, "a", map[string]string{}) }, 1},
		{"register another", func() { e.register(t, *svc.Id, "b", map[string]string{}) }, 2},
		{"re-register", func() { e.register(t, *svc.Id, "a", map[string]string{"x": "y"}) }, 3},
		{"health change", func() {
			must(e.C.UpdateInstanceCustomHealthStatus(ctx, &sd.UpdateInstanceCustomHealthStatusInput{ServiceId: svc.Id, InstanceId: aws.String("a"), Status: "UNHEALTHY"}))(t)
		}, 3},
		{"deregister", func() {
			must(e.C.DeregisterInstance(ctx, &sd.DeregisterInstanceInput{ServiceId: svc.Id, InstanceId: aws.String("b")}))(t)
		}, 4},
	}
	for _, st := range steps {
		st.do()
		if got := revision(); got != st.want {
			t.Errorf("after %s: revision = %d, want %d", st.name, got, st.want)
		}
	}
	out := must(e.C.DiscoverInstances(ctx, &sd.DiscoverInstancesInput{NamespaceName: aws.String("api"), ServiceName: aws.String("web"), HealthStatus: "ALL"}))(t)
	if aws.ToInt64(out.InstancesRevision) != 4 {
		t.Errorf("DiscoverInstances revision = %d", aws.ToInt64(out.InstancesRevision))
	}
}
