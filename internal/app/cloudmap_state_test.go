package app_test

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/miekg/dns"

	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// Cloud Map survives a crash: after Restart on the same state directory
// the API answers the same, the operations submitted just before the
// crash finish, and the restarted DNS server answers the service's name
// with both instances at the service's TTL at once, without waiting for
// a change.
func TestCloudMapSurvivesCrash(t *testing.T) {
	ctx := context.Background()
	e := emulatortest.Start(t, emulatortest.Options{StateDir: t.TempDir()})
	cm := e.CloudMap()

	op, err := cm.CreatePrivateDnsNamespace(ctx, &servicediscovery.CreatePrivateDnsNamespaceInput{
		Name: aws.String("persist.svc"), Vpc: aws.String(defaultVpc), Tags: []sdtypes.Tag{{Key: aws.String("k"), Value: aws.String("v")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	opIDs := []string{*op.OperationId}
	got, err := cm.GetOperation(ctx, &servicediscovery.GetOperationInput{OperationId: op.OperationId})
	if err != nil {
		t.Fatal(err)
	}
	nsID := got.Operation.Targets["NAMESPACE"]
	svc, err := cm.CreateService(ctx, &servicediscovery.CreateServiceInput{
		Name: aws.String("db"), NamespaceId: &nsID,
		DnsConfig: &sdtypes.DnsConfig{DnsRecords: []sdtypes.DnsRecord{{Type: sdtypes.RecordTypeA, TTL: aws.Int64(42)}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, ip := range []string{"10.1.0.1", "10.1.0.2"} {
		out, err := cm.RegisterInstance(ctx, &servicediscovery.RegisterInstanceInput{
			ServiceId: svc.Service.Id, InstanceId: aws.String([]string{"db-1", "db-2"}[i]),
			Attributes: map[string]string{"AWS_INSTANCE_IPV4": ip},
		})
		if err != nil {
			t.Fatal(err)
		}
		opIDs = append(opIDs, *out.OperationId)
	}

	before := cloudMapDump(t, cm, nsID, *svc.Service.Id)
	e.Crash() // the registrations' operations are still SUBMITTED
	e = e.Restart(t)
	cm = e.CloudMap()

	if after := cloudMapDump(t, cm, nsID, *svc.Service.Id); !reflect.DeepEqual(after, before) {
		a, _ := json.MarshalIndent(after, "", " ")
		b, _ := json.MarshalIndent(before, "", " ")
		t.Fatalf("Cloud Map after a crash and a restart:\n%s\nwant\n%s", a, b)
	}

	// DNS answers at once: the first sync follows Restore.
	m := new(dns.Msg)
	m.SetQuestion("db.persist.svc.", dns.TypeA)
	r, _, err := new(dns.Client).Exchange(m, e.DNSAddr)
	if err != nil {
		t.Fatalf("DNS query to the restarted emulator: %v", err)
	}
	var ips []string
	for _, rr := range r.Answer {
		if a, ok := rr.(*dns.A); ok {
			ips = append(ips, a.A.String())
			if a.Hdr.Ttl != 42 {
				t.Errorf("TTL of %s = %d, want 42", a.A, a.Hdr.Ttl)
			}
		}
	}
	slices.Sort(ips)
	if !slices.Equal(ips, []string{"10.1.0.1", "10.1.0.2"}) {
		t.Fatalf("db.persist.svc A after the restart = %v (rcode %s), want both instances", ips, dns.RcodeToString[r.Rcode])
	}

	// The operations in progress at the crash finish, in the same list.
	deadline := time.Now().Add(5 * time.Second)
	for _, id := range opIDs {
		for {
			out, err := cm.GetOperation(ctx, &servicediscovery.GetOperationInput{OperationId: aws.String(id)})
			if err != nil {
				t.Fatal(err)
			}
			if out.Operation.Status == sdtypes.OperationStatusSuccess {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("operation %s is still %s after the restart", id, out.Operation.Status)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	ops, err := cm.ListOperations(ctx, &servicediscovery.ListOperationsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, o := range ops.Operations {
		listed = append(listed, *o.Id)
	}
	if !slices.Equal(listed, opIDs) {
		t.Fatalf("ListOperations after the restart = %v, want %v", listed, opIDs)
	}
}

// cloudMapDump is the List and Get answers about one namespace and one
// service, without the request metadata.
func cloudMapDump(t *testing.T, cm *servicediscovery.Client, nsID, svcID string) []any {
	t.Helper()
	ctx := context.Background()
	var out []any
	add := answers(t, &out)
	add(cm.ListNamespaces(ctx, &servicediscovery.ListNamespacesInput{}))
	ns, err := cm.GetNamespace(ctx, &servicediscovery.GetNamespaceInput{Id: &nsID})
	add(ns, err)
	add(cm.ListTagsForResource(ctx, &servicediscovery.ListTagsForResourceInput{ResourceARN: ns.Namespace.Arn}))
	add(cm.ListServices(ctx, &servicediscovery.ListServicesInput{}))
	add(cm.GetService(ctx, &servicediscovery.GetServiceInput{Id: &svcID}))
	add(cm.ListInstances(ctx, &servicediscovery.ListInstancesInput{ServiceId: &svcID}))
	for _, id := range []string{"db-1", "db-2"} {
		add(cm.GetInstance(ctx, &servicediscovery.GetInstanceInput{ServiceId: &svcID, InstanceId: aws.String(id)}))
	}
	add(cm.GetInstancesHealthStatus(ctx, &servicediscovery.GetInstancesHealthStatusInput{ServiceId: &svcID}))
	return out
}
