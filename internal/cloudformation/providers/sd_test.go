package providers

import (
	"context"
	"strings"
	"testing"

	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
)

func TestCloudMapNamespaceServiceInstance(t *testing.T) {
	e := newEnv(t)
	nsReq, ns := e.create(t, "AWS::ServiceDiscovery::PrivateDnsNamespace", "Namespace9B63B8C8",
		map[string]any{"Name": "tutorial.local", "Vpc": "vpc-1"})
	if ns.Attributes["Id"] != ns.PhysicalID || !strings.HasPrefix(ns.PhysicalID, "ns-") ||
		!strings.HasSuffix(ns.Attributes["Arn"].(string), ":namespace/"+ns.PhysicalID) {
		t.Errorf("namespace = %+v", ns)
	}
	if z, _ := ns.Attributes["HostedZoneId"].(string); z == "" {
		t.Errorf("HostedZoneId missing: %+v", ns.Attributes)
	}
	e.update(t, nsReq, map[string]any{"Name": "tutorial.local", "Vpc": "vpc-1", "Description": "the tutorial"})
	s := e.apis.CloudMap.StoreFor(testAccount, testRegion)
	got, _ := s.GetNamespace(context.Background(), &sd.GetNamespaceInput{Id: &ns.PhysicalID})
	if deref(got.Namespace.Description) != "the tutorial" {
		t.Errorf("description after update = %q", deref(got.Namespace.Description))
	}

	svcProps := map[string]any{
		"Name": "worker", "NamespaceId": ns.PhysicalID,
		"DnsConfig": map[string]any{"RoutingPolicy": "MULTIVALUE",
			"DnsRecords": []any{map[string]any{"TTL": 60, "Type": "A"}}},
		"HealthCheckCustomConfig": map[string]any{"FailureThreshold": 1},
	}
	svcReq, svc := e.create(t, "AWS::ServiceDiscovery::Service", "WorkerServiceCloudmapService", svcProps)
	if svc.Attributes["Name"] != "worker" || !strings.HasPrefix(svc.PhysicalID, "srv-") || svc.Attributes["Id"] != svc.PhysicalID {
		t.Errorf("service = %+v", svc)
	}
	instReq, inst := e.create(t, "AWS::ServiceDiscovery::Instance", "Inst", map[string]any{
		"ServiceId": svc.PhysicalID, "InstanceId": "i-1", "InstanceAttributes": map[string]any{"AWS_INSTANCE_IPV4": "10.0.0.9"}})
	if inst.PhysicalID != "i-1" {
		t.Errorf("instance = %+v", inst)
	}
	list, _ := s.ListInstances(context.Background(), &sd.ListInstancesInput{ServiceId: &svc.PhysicalID})
	if len(list.Instances) != 1 {
		t.Errorf("instances = %+v", list.Instances)
	}

	p := e.reg["AWS::ServiceDiscovery::Service"]
	ttl := func(n int, policy string) map[string]any {
		return map[string]any{"Name": "worker", "DnsConfig": map[string]any{"RoutingPolicy": policy,
			"DnsRecords": []any{map[string]any{"TTL": n, "Type": "A"}}}}
	}
	if p.Replaces(ttl(60, "MULTIVALUE"), ttl(30, "MULTIVALUE")) {
		t.Error("a TTL change replaces the Cloud Map service")
	}
	if !p.Replaces(ttl(60, "MULTIVALUE"), ttl(60, "WEIGHTED")) {
		t.Error("a routing policy change does not replace the Cloud Map service")
	}
	if !e.reg["AWS::ServiceDiscovery::PrivateDnsNamespace"].Replaces(map[string]any{"Name": "a"}, map[string]any{"Name": "b"}) {
		t.Error("a new namespace Name does not replace it")
	}

	e.deleteTwice(t, instReq)
	e.deleteTwice(t, svcReq)
	e.deleteTwice(t, nsReq)
	if _, err := s.GetNamespace(context.Background(), &sd.GetNamespaceInput{Id: &ns.PhysicalID}); !isCode(err, "NamespaceNotFound") {
		t.Errorf("namespace after delete: %v", err)
	}
}

func TestCloudMapHTTPAndPublicNamespaces(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		typ     string
		props   map[string]any
		hasZone bool
	}{
		{"AWS::ServiceDiscovery::HttpNamespace", map[string]any{"Name": "apps"}, false},
		{"AWS::ServiceDiscovery::PublicDnsNamespace", map[string]any{"Name": "example.com"}, true},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			req, res := e.create(t, tc.typ, "NS", tc.props)
			if _, ok := res.Attributes["HostedZoneId"]; ok != tc.hasZone {
				t.Errorf("HostedZoneId present = %v, want %v", ok, tc.hasZone)
			}
			next := map[string]any{"Name": tc.props["Name"], "Description": "d"}
			e.update(t, req, next)
			e.deleteTwice(t, req)
		})
	}
}

func TestCDKMetadata(t *testing.T) {
	e := newEnv(t)
	req, res := e.create(t, "AWS::CDK::Metadata", "CDKMetadata", map[string]any{"Analytics": "v2:deflate64:abc"})
	if res.PhysicalID == "" {
		t.Fatal("empty ID")
	}
	if got := e.update(t, req, map[string]any{"Analytics": "other"}); got.PhysicalID != res.PhysicalID {
		t.Errorf("update changed the ID: %s → %s", res.PhysicalID, got.PhysicalID)
	}
	e.deleteTwice(t, req)
}
