package servicediscovery_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/aws/smithy-go/middleware"

	cloudmap "github.com/localaws/ecsemu/internal/api/servicediscovery"
	"github.com/localaws/ecsemu/internal/state"
)

// openState opens a state directory, closed when the test ends (closing
// twice is harmless).
func openState(t *testing.T, dir string) *state.DB {
	t.Helper()
	db, err := state.Open(dir, state.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// stateEnv is an env keeping its state in db, on clock (nil: a new one),
// with a VPC "vpc-gone" EC2 does not know.
func stateEnv(t *testing.T, db *state.DB, clock *fakeClock) *env {
	t.Helper()
	e := newEnvWith(t, func(o *cloudmap.Options) {
		o.State = db.Bucket(cloudmap.Spec.Name)
		o.VPCExists = func(_, vpc string) bool { return vpc != "vpc-gone" }
		if clock != nil {
			o.Now = clock.Now
		}
	})
	if clock != nil {
		e.Clock = clock
	}
	return e
}

// restarted closes db, opens dir again and returns a new env restored
// from it, on the same clock as before, and its store.
func restarted(t *testing.T, db *state.DB, dir string, before *env) (*env, *state.DB) {
	t.Helper()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openState(t, dir)
	e := stateEnv(t, db, before.Clock)
	if err := e.API.Restore(); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	return e, db
}

// bare zeroes an SDK output's ResultMetadata (request IDs differ).
func bare[T any](out *T, err error) func(testing.TB) any {
	return func(t testing.TB) any {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		reflect.ValueOf(out).Elem().FieldByName("ResultMetadata").Set(reflect.ValueOf(middleware.Metadata{}))
		return out
	}
}

// dump is everything the API answers about the state of the regions
// given, found from the List calls, plus the DNS view.
func dump(t *testing.T, e *env, regions ...string) []any {
	t.Helper()
	ctx := context.Background()
	var out []any
	for _, r := range regions {
		c := e.client(r)
		nss := must(c.ListNamespaces(ctx, &sd.ListNamespacesInput{}))(t)
		out = append(out, bare(nss, nil)(t))
		httpNames := map[string]string{}
		for _, ns := range nss.Namespaces {
			httpNames[*ns.Id] = *ns.Properties.HttpProperties.HttpName
			out = append(out,
				bare(c.GetNamespace(ctx, &sd.GetNamespaceInput{Id: ns.Id}))(t),
				bare(c.ListTagsForResource(ctx, &sd.ListTagsForResourceInput{ResourceARN: ns.Arn}))(t))
		}
		svcs := must(c.ListServices(ctx, &sd.ListServicesInput{}))(t)
		out = append(out, bare(svcs, nil)(t))
		for _, svc := range svcs.Services {
			got := must(c.GetService(ctx, &sd.GetServiceInput{Id: svc.Id}))(t)
			out = append(out,
				bare(got, nil)(t),
				bare(c.GetServiceAttributes(ctx, &sd.GetServiceAttributesInput{ServiceId: svc.Id}))(t),
				bare(c.ListTagsForResource(ctx, &sd.ListTagsForResourceInput{ResourceARN: svc.Arn}))(t),
				bare(c.GetInstancesHealthStatus(ctx, &sd.GetInstancesHealthStatusInput{ServiceId: svc.Id}))(t),
				bare(c.DiscoverInstancesRevision(ctx, &sd.DiscoverInstancesRevisionInput{
					NamespaceName: aws.String(httpNames[*got.Service.NamespaceId]), ServiceName: svc.Name,
				}))(t))
			insts := must(c.ListInstances(ctx, &sd.ListInstancesInput{ServiceId: svc.Id}))(t)
			out = append(out, bare(insts, nil)(t))
			for _, inst := range insts.Instances {
				out = append(out, bare(c.GetInstance(ctx, &sd.GetInstanceInput{ServiceId: svc.Id, InstanceId: inst.Id}))(t))
			}
		}
		ops := must(c.ListOperations(ctx, &sd.ListOperationsInput{}))(t)
		out = append(out, bare(ops, nil)(t))
		for _, op := range ops.Operations {
			out = append(out, bare(c.GetOperation(ctx, &sd.GetOperationInput{OperationId: op.Id}))(t))
		}
	}
	snap := e.API.DNSSnapshot()
	snap.Version = 0
	return append(out, snap)
}

func sameDump(t *testing.T, what string, got, want []any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("%s differs:\n got %s\nwant %s", what, g, w)
	}
}

// Every kind of resource, changed in every way the API allows, answers the
// same after a restart on the same state directory; deleted ones stay
// deleted; operations in progress then finish by the clock.
func TestStateSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openState(t, dir)
	e := stateEnv(t, db, nil)
	eu := e.client("eu-west-1")

	// Namespaces of the three types, one in another region, one updated,
	// one deleted, one whose VPC does not exist (FAIL).
	private := must(e.C.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{
		Name: aws.String("internal.local"), Vpc: aws.String("vpc-1"), Tags: []types.Tag{tag("team", "a"), tag("env", "dev")},
		Properties: &types.PrivateDnsNamespaceProperties{DnsProperties: &types.PrivateDnsPropertiesMutable{SOA: &types.SOA{TTL: aws.Int64(60)}}},
	}))(t)
	privNS := e.namespaceOf(t, *private.OperationId)
	httpNS := e.httpNamespace(t, "api")
	pubNS := e.publicNamespace(t, "example.com")
	gone := e.httpNamespace(t, "gone")
	must(e.C.DeleteNamespace(ctx, &sd.DeleteNamespaceInput{Id: gone.Id}))(t)
	must(e.C.UpdatePublicDnsNamespace(ctx, &sd.UpdatePublicDnsNamespaceInput{
		Id: pubNS.Id, UpdaterRequestId: aws.String("upd-1"),
		Namespace: &types.PublicDnsNamespaceChange{Description: aws.String("public"),
			Properties: &types.PublicDnsNamespacePropertiesChange{DnsProperties: &types.PublicDnsPropertiesMutableChange{SOA: &types.SOAChange{TTL: aws.Int64(30)}}}},
	}))(t)
	must(e.C.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("nowhere.local"), Vpc: aws.String("vpc-gone")}))(t)
	must(eu.CreateHttpNamespace(ctx, &sd.CreateHttpNamespaceInput{Name: aws.String("eu"), CreatorRequestId: aws.String("req-eu")}))(t)
	must(e.C.TagResource(ctx, &sd.TagResourceInput{ResourceARN: httpNS.Arn, Tags: []types.Tag{tag("k", "v"), tag("drop", "me")}}))(t)
	must(e.C.UntagResource(ctx, &sd.UntagResourceInput{ResourceARN: httpNS.Arn, TagKeys: []string{"drop"}}))(t)

	// Services: DNS with a custom health check, HTTP with attributes and
	// tags, one with a Route 53 check, one updated, one deleted.
	web := e.createService(t, &sd.CreateServiceInput{
		Name: aws.String("web"), NamespaceId: privNS.Id, Description: aws.String("web tier"),
		DnsConfig:               &types.DnsConfig{DnsRecords: []types.DnsRecord{{Type: types.RecordTypeA, TTL: aws.Int64(10)}, {Type: types.RecordTypeSrv, TTL: aws.Int64(20)}}},
		HealthCheckCustomConfig: &types.HealthCheckCustomConfig{},
		Tags:                    []types.Tag{tag("svc", "web")},
	})
	apiSvc := e.createService(t, &sd.CreateServiceInput{Name: aws.String("backend"), NamespaceId: httpNS.Id})
	checked := e.createService(t, &sd.CreateServiceInput{
		Name: aws.String("www"), NamespaceId: pubNS.Id,
		DnsConfig:         &types.DnsConfig{DnsRecords: []types.DnsRecord{{Type: types.RecordTypeA, TTL: aws.Int64(5)}}},
		HealthCheckConfig: &types.HealthCheckConfig{Type: types.HealthCheckTypeHttp},
	})
	old := e.dnsService(t, *privNS.Id, "old", types.RoutingPolicyMultivalue, types.RecordTypeA)
	must(e.C.DeleteService(ctx, &sd.DeleteServiceInput{Id: old.Id}))(t)

	// Instances: registered, one re-registered, one deregistered, custom
	// health set, a Route 53 check's result set through the direct API.
	e.register(t, *web.Id, "i-1", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.1", "AWS_INSTANCE_PORT": "80", "zone": "a"})
	e.register(t, *web.Id, "i-2", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.2", "AWS_INSTANCE_PORT": "80", "AWS_INIT_HEALTH_STATUS": "UNHEALTHY"})
	e.register(t, *web.Id, "task/3", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.3", "AWS_INSTANCE_PORT": "81"})
	e.register(t, *web.Id, "i-1", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.11", "AWS_INSTANCE_PORT": "80"})
	must(e.C.UpdateInstanceCustomHealthStatus(ctx, &sd.UpdateInstanceCustomHealthStatusInput{ServiceId: web.Id, InstanceId: aws.String("task/3"), Status: types.CustomHealthStatusUnhealthy}))(t)
	e.register(t, *apiSvc.Id, "x", map[string]string{"url": "http://x"})
	must(e.C.DeregisterInstance(ctx, &sd.DeregisterInstanceInput{ServiceId: apiSvc.Id, InstanceId: aws.String("x")}))(t)
	e.register(t, *apiSvc.Id, "y", map[string]string{"url": "http://y"})
	e.register(t, *checked.Id, "w-1", map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.7", "AWS_INSTANCE_PORT": "80"})
	if err := e.API.Store(region).SetInstanceHealth(ctx, *checked.Id, "w-1", types.CustomHealthStatusUnhealthy); err != nil {
		t.Fatal(err)
	}

	// Changes to services last, so that no later write carries them.
	must(e.C.UpdateService(ctx, &sd.UpdateServiceInput{Id: web.Id, Service: &types.ServiceChange{
		Description: aws.String("web tier, updated"),
		DnsConfig:   &types.DnsConfigChange{DnsRecords: []types.DnsRecord{{Type: types.RecordTypeA, TTL: aws.Int64(15)}, {Type: types.RecordTypeSrv, TTL: aws.Int64(25)}}},
	}}))(t)
	must(e.C.UpdateServiceAttributes(ctx, &sd.UpdateServiceAttributesInput{ServiceId: apiSvc.Id, Attributes: map[string]string{"a": "1", "b": "2", "c": "3"}}))(t)
	must(e.C.UpdateServiceAttributes(ctx, &sd.UpdateServiceAttributesInput{ServiceId: checked.Id, Attributes: map[string]string{"a": "1", "b": "2"}}))(t)
	must(e.C.DeleteServiceAttributes(ctx, &sd.DeleteServiceAttributesInput{ServiceId: apiSvc.Id, Attributes: []string{"b"}}))(t)

	regions := []string{region, "eu-west-1"}
	before := dump(t, e, regions...)
	e, db = restarted(t, db, dir, e)
	sameDump(t, "state after a restart", dump(t, e, regions...), before)

	// Deleted resources stay deleted.
	_, err := e.C.GetNamespace(ctx, &sd.GetNamespaceInput{Id: gone.Id})
	wantCode(t, err, "NamespaceNotFound", s404)
	_, err = e.C.GetService(ctx, &sd.GetServiceInput{Id: old.Id})
	wantCode(t, err, "ServiceNotFound", s404)
	_, err = e.C.GetInstance(ctx, &sd.GetInstanceInput{ServiceId: apiSvc.Id, InstanceId: aws.String("x")})
	wantCode(t, err, "InstanceNotFound", s404)

	// The operations submitted before the restart finish, the failed
	// namespace's in FAIL.
	e.Clock.Advance(time.Second)
	ops := must(e.C.ListOperations(ctx, &sd.ListOperationsInput{}))(t).Operations
	failed := 0
	for _, op := range ops {
		switch op.Status {
		case types.OperationStatusFail:
			failed++
		case types.OperationStatusSuccess:
		default:
			t.Errorf("operation %s is %s a second after the restart", *op.Id, op.Status)
		}
	}
	if failed != 1 || len(ops) < 15 {
		t.Errorf("%d operations, %d failed; want at least 15, one failed", len(ops), failed)
	}

	// New resources are listed after the restored ones, and their changes
	// are kept too.
	later := e.httpNamespace(t, "later")
	nss := must(e.C.ListNamespaces(ctx, &sd.ListNamespacesInput{}))(t).Namespaces
	if last := nss[len(nss)-1]; *last.Id != *later.Id {
		t.Errorf("the namespace made after the restart is listed at %s, not last", *last.Name)
	}
	must(e.C.DeregisterInstance(ctx, &sd.DeregisterInstanceInput{ServiceId: web.Id, InstanceId: aws.String("i-2")}))(t)
	before = dump(t, e, regions...)
	e, _ = restarted(t, db, dir, e)
	sameDump(t, "state after a second restart", dump(t, e, regions...), before)
}

// Operations forgotten after their retention are forgotten in the state
// directory too.
func TestStateForgetsExpiredOperations(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openState(t, dir)
	e := stateEnv(t, db, nil)
	e.httpNamespace(t, "first")
	e.Clock.Advance(25 * time.Hour)
	e.httpNamespace(t, "second")
	e, _ = restarted(t, db, dir, e)
	if ops := must(e.C.ListOperations(ctx, &sd.ListOperationsInput{}))(t).Operations; len(ops) != 1 {
		t.Fatalf("%d operations after a restart, want the one that is not expired", len(ops))
	}
}

// Reset empties the state directory.
func TestStateReset(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openState(t, dir)
	e := stateEnv(t, db, nil)
	ns := e.privateNamespace(t, "reset.local", "vpc-1")
	svc := e.dnsService(t, *ns.Id, "web", types.RoutingPolicyMultivalue, types.RecordTypeA)
	e.register(t, *svc.Id, "i-1", ip(1))
	e.API.Reset()
	e, _ = restarted(t, db, dir, e)
	if nss := must(e.C.ListNamespaces(ctx, &sd.ListNamespacesInput{}))(t).Namespaces; len(nss) != 0 {
		t.Fatalf("namespaces after a reset and a restart: %v", nss)
	}
	if ops := must(e.C.ListOperations(ctx, &sd.ListOperationsInput{}))(t).Operations; len(ops) != 0 {
		t.Fatalf("operations after a reset and a restart: %v", ops)
	}
	if snap := e.API.DNSSnapshot(); len(snap.Regions) != 0 {
		t.Fatalf("DNS after a reset and a restart: %+v", snap.Regions)
	}
}

// A record Restore cannot read stops it with an error naming the record.
func TestStateUndecodableRecord(t *testing.T) {
	for _, tc := range []struct{ key, value string }{
		{"000000000000/us-east-1/namespace/ns-1", `{"Namespace": 7}`},
		{"000000000000/us-east-1/service/srv-1", `{`},
		{"000000000000/us-east-1/instance/srv-1/i-1", `{"Instance":{"Id":"i-1"}}`}, // no such service
		{"000000000000/us-east-1/operation/op-1", `[]`},
		{"000000000000/us-east-1/widget/w-1", `{}`},
		{"junk", `{}`},
	} {
		t.Run(tc.key, func(t *testing.T) {
			db := openState(t, t.TempDir())
			b := db.Bucket(cloudmap.Spec.Name).Batch()
			b.PutRaw(tc.key, []byte(tc.value))
			if err := b.Commit().Wait(); err != nil {
				t.Fatal(err)
			}
			err := cloudmap.New(cloudmap.Options{State: db.Bucket(cloudmap.Spec.Name)}).Restore()
			if err == nil || !strings.Contains(err.Error(), tc.key) {
				t.Fatalf("Restore = %v, want an error naming %s", err, tc.key)
			}
		})
	}
}

// Without a state directory Restore finds nothing and changes nothing.
func TestStateWithoutDirectory(t *testing.T) {
	e := newEnv(t)
	e.httpNamespace(t, "kept")
	before := dump(t, e, region)
	if err := e.API.Restore(); err != nil {
		t.Fatal(err)
	}
	sameDump(t, "state after Restore without a state directory", dump(t, e, region), before)
	e.API.Reset() // State.Clear on a nil bucket
}
