package servicediscovery_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
)

func records(rs ...types.RecordType) []types.DnsRecord {
	var out []types.DnsRecord
	for _, r := range rs {
		out = append(out, types.DnsRecord{Type: r, TTL: aws.Int64(60)})
	}
	return out
}

func TestCreateService(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	priv := e.privateNamespace(t, "internal.local", "vpc-1")
	pub := e.publicNamespace(t, "example.com")
	h := e.httpNamespace(t, "api")

	tests := []struct {
		name     string
		in       *sd.CreateServiceInput
		wantType types.ServiceType
		check    func(t *testing.T, svc *types.Service)
	}{
		{"A, default routing policy", &sd.CreateServiceInput{Name: aws.String("a"), NamespaceId: priv.Id, DnsConfig: &types.DnsConfig{DnsRecords: records("A")}},
			types.ServiceTypeDnsHttp, func(t *testing.T, svc *types.Service) {
				if svc.DnsConfig.RoutingPolicy != types.RoutingPolicyMultivalue || len(svc.DnsConfig.DnsRecords) != 1 || aws.ToInt64(svc.DnsConfig.DnsRecords[0].TTL) != 60 {
					t.Errorf("DnsConfig = %+v", svc.DnsConfig)
				}
			}},
		{"SRV style name", &sd.CreateServiceInput{Name: aws.String("_web._tcp"), NamespaceId: priv.Id, DnsConfig: &types.DnsConfig{DnsRecords: records("SRV")}}, types.ServiceTypeDnsHttp, nil},
		{"A and SRV", &sd.CreateServiceInput{Name: aws.String("a-srv"), NamespaceId: priv.Arn, DnsConfig: &types.DnsConfig{DnsRecords: records("A", "SRV")}}, types.ServiceTypeDnsHttp, nil},
		{"A and AAAA", &sd.CreateServiceInput{Name: aws.String("dual"), NamespaceId: priv.Id, DnsConfig: &types.DnsConfig{DnsRecords: records("A", "AAAA")}}, types.ServiceTypeDnsHttp, nil},
		{"CNAME, weighted", &sd.CreateServiceInput{Name: aws.String("alias"), NamespaceId: priv.Id, DnsConfig: &types.DnsConfig{RoutingPolicy: "WEIGHTED", DnsRecords: records("CNAME")}}, types.ServiceTypeDnsHttp, nil},
		{"deprecated DnsConfig.NamespaceId", &sd.CreateServiceInput{Name: aws.String("legacy"), DnsConfig: &types.DnsConfig{NamespaceId: priv.Id, DnsRecords: records("A")}},
			types.ServiceTypeDnsHttp, func(t *testing.T, svc *types.Service) {
				if aws.ToString(svc.NamespaceId) != aws.ToString(priv.Id) || svc.DnsConfig.NamespaceId != nil {
					t.Errorf("NamespaceId = %s, DnsConfig.NamespaceId = %v", aws.ToString(svc.NamespaceId), svc.DnsConfig.NamespaceId)
				}
			}},
		{"Type HTTP in a DNS namespace", &sd.CreateServiceInput{Name: aws.String("api-only"), NamespaceId: priv.Id, Type: types.ServiceTypeOptionHttp}, types.ServiceTypeHttp, nil},
		{"HTTP namespace", &sd.CreateServiceInput{Name: aws.String("Backend"), NamespaceId: h.Id, Description: aws.String("d")},
			types.ServiceTypeHttp, func(t *testing.T, svc *types.Service) {
				if svc.DnsConfig == nil || len(svc.DnsConfig.DnsRecords) != 0 || aws.ToString(svc.Description) != "d" {
					t.Errorf("DnsConfig = %+v (AWS returns {}), Description %q", svc.DnsConfig, aws.ToString(svc.Description))
				}
			}},
		{"names differ only by case in an HTTP namespace", &sd.CreateServiceInput{Name: aws.String("backend"), NamespaceId: h.Id}, types.ServiceTypeHttp, nil},
		{"custom health check", &sd.CreateServiceInput{Name: aws.String("custom"), NamespaceId: priv.Id, DnsConfig: &types.DnsConfig{DnsRecords: records("A")},
			HealthCheckCustomConfig: &types.HealthCheckCustomConfig{FailureThreshold: aws.Int32(5)}},
			types.ServiceTypeDnsHttp, func(t *testing.T, svc *types.Service) {
				if aws.ToInt32(svc.HealthCheckCustomConfig.FailureThreshold) != 1 {
					t.Errorf("FailureThreshold = %d, AWS always sets 1", aws.ToInt32(svc.HealthCheckCustomConfig.FailureThreshold))
				}
			}},
		{"Route 53 health check in a public namespace", &sd.CreateServiceInput{Name: aws.String("www"), NamespaceId: pub.Id, DnsConfig: &types.DnsConfig{DnsRecords: records("A")},
			HealthCheckConfig: &types.HealthCheckConfig{Type: types.HealthCheckTypeHttp, FailureThreshold: aws.Int32(3)}},
			types.ServiceTypeDnsHttp, func(t *testing.T, svc *types.Service) {
				if c := svc.HealthCheckConfig; aws.ToString(c.ResourcePath) != "/" || aws.ToInt32(c.FailureThreshold) != 3 {
					t.Errorf("HealthCheckConfig = %+v, want ResourcePath defaulted to /", c)
				}
			}},
		{"TCP health check keeps no path", &sd.CreateServiceInput{Name: aws.String("tcp"), NamespaceId: h.Id, HealthCheckConfig: &types.HealthCheckConfig{Type: types.HealthCheckTypeTcp}},
			types.ServiceTypeHttp, func(t *testing.T, svc *types.Service) {
				if svc.HealthCheckConfig.ResourcePath != nil {
					t.Errorf("ResourcePath = %q", aws.ToString(svc.HealthCheckConfig.ResourcePath))
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.CreatorRequestId = aws.String("c-" + aws.ToString(tc.in.Name))
			svc := must(e.C.CreateService(ctx, tc.in))(t).Service
			id := aws.ToString(svc.Id)
			if !serviceIDRe.MatchString(id) {
				t.Errorf("service ID %q", id)
			}
			if got, want := aws.ToString(svc.Arn), "arn:aws:servicediscovery:us-east-1:000000000000:service/"+id; got != want {
				t.Errorf("Arn = %s, want %s", got, want)
			}
			if svc.Type != tc.wantType || aws.ToString(svc.Name) != aws.ToString(tc.in.Name) || aws.ToInt32(svc.InstanceCount) != 0 {
				t.Errorf("Type, Name, InstanceCount = %s, %s, %d", svc.Type, aws.ToString(svc.Name), aws.ToInt32(svc.InstanceCount))
			}
			if aws.ToString(svc.ResourceOwner) != account || aws.ToString(svc.CreatedByAccount) != account || svc.CreateDate == nil ||
				aws.ToString(svc.CreatorRequestId) != aws.ToString(tc.in.CreatorRequestId) {
				t.Errorf("owner %s, creator %s, date %v, request %s", aws.ToString(svc.ResourceOwner), aws.ToString(svc.CreatedByAccount), svc.CreateDate, aws.ToString(svc.CreatorRequestId))
			}
			if tc.check != nil {
				tc.check(t, svc)
			}
			got := must(e.C.GetService(ctx, &sd.GetServiceInput{Id: svc.Arn}))(t).Service
			if aws.ToString(got.Id) != id {
				t.Errorf("GetService by ARN: %s", aws.ToString(got.Id))
			}
		})
	}

	t.Run("ServiceCount", func(t *testing.T) {
		ns := must(e.C.GetNamespace(ctx, &sd.GetNamespaceInput{Id: priv.Id}))(t).Namespace
		if got := aws.ToInt32(ns.ServiceCount); got != 8 {
			t.Errorf("ServiceCount = %d, want 8", got)
		}
	})
}

func TestCreateServiceErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	raw := e.unvalidated()
	priv := e.privateNamespace(t, "internal.local", "vpc-1")
	pub := e.publicNamespace(t, "example.com")
	h := e.httpNamespace(t, "api")
	existing := e.createService(t, &sd.CreateServiceInput{Name: aws.String("web"), NamespaceId: priv.Id, CreatorRequestId: aws.String("first"), DnsConfig: &types.DnsConfig{DnsRecords: records("A")}})
	a := &types.DnsConfig{DnsRecords: records("A")}
	svc := func(name string, mod func(*sd.CreateServiceInput)) *sd.CreateServiceInput {
		in := &sd.CreateServiceInput{Name: aws.String(name), NamespaceId: priv.Id, DnsConfig: a}
		if mod != nil {
			mod(in)
		}
		return in
	}
	var tooMany []types.Tag
	for i := range 51 {
		tooMany = append(tooMany, tag(fmt.Sprintf("k%d", i), "v"))
	}
	runErrCases(t, []errCase{
		{"no name", call(raw.CreateService, svc("", func(in *sd.CreateServiceInput) { in.Name = nil })), "InvalidInput", s400},
		{"name with a space", call(e.C.CreateService, svc("a b", nil)), "InvalidInput", s400},
		{"label ending in a hyphen", call(e.C.CreateService, svc("web-", nil)), "InvalidInput", s400},
		{"label of 64 characters", call(e.C.CreateService, svc(strings.Repeat("a", 64), nil)), "InvalidInput", s400},
		{"name of 128 characters", call(e.C.CreateService, svc(strings.Repeat("a.", 63)+"aa", nil)), "InvalidInput", s400},
		{"no namespace", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) { in.NamespaceId = nil })), "InvalidInput", s400},
		{"two different namespaces", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) {
			in.DnsConfig = &types.DnsConfig{NamespaceId: pub.Id, DnsRecords: records("A")}
		})), "InvalidInput", s400},
		{"unknown namespace", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) { in.NamespaceId = aws.String("ns-unknown") })), "NamespaceNotFound", s404},
		{"DnsConfig in an HTTP namespace", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) { in.NamespaceId = h.Id })), "InvalidInput", s400},
		{"DnsConfig with Type HTTP", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) { in.Type = types.ServiceTypeOptionHttp })), "InvalidInput", s400},
		{"bad Type", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) { in.Type = "DNS" })), "InvalidInput", s400},
		{"no DnsConfig in a DNS namespace", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) { in.DnsConfig = nil })), "InvalidInput", s400},
		{"no records", call(raw.CreateService, svc("x", func(in *sd.CreateServiceInput) { in.DnsConfig = &types.DnsConfig{} })), "InvalidInput", s400},
		{"record without TTL", call(raw.CreateService, svc("x", func(in *sd.CreateServiceInput) {
			in.DnsConfig = &types.DnsConfig{DnsRecords: []types.DnsRecord{{Type: "A"}}}
		})), "InvalidInput", s400},
		{"negative TTL", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) {
			in.DnsConfig = &types.DnsConfig{DnsRecords: []types.DnsRecord{{Type: "A", TTL: aws.Int64(-1)}}}
		})), "InvalidInput", s400},
		{"unknown record type", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) { in.DnsConfig = &types.DnsConfig{DnsRecords: records("MX")} })), "InvalidInput", s400},
		{"record type twice", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) { in.DnsConfig = &types.DnsConfig{DnsRecords: records("A", "A")} })), "InvalidInput", s400},
		{"CNAME with A", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) {
			in.DnsConfig = &types.DnsConfig{RoutingPolicy: "WEIGHTED", DnsRecords: records("CNAME", "A")}
		})), "InvalidInput", s400},
		{"CNAME multivalue", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) { in.DnsConfig = &types.DnsConfig{DnsRecords: records("CNAME")} })), "InvalidInput", s400},
		{"bad routing policy", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) {
			in.DnsConfig = &types.DnsConfig{RoutingPolicy: "FAILOVER", DnsRecords: records("A")}
		})), "InvalidInput", s400},
		{"both health checks", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) {
			in.NamespaceId = pub.Id
			in.HealthCheckConfig = &types.HealthCheckConfig{Type: "HTTP"}
			in.HealthCheckCustomConfig = &types.HealthCheckCustomConfig{}
		})), "InvalidInput", s400},
		{"Route 53 health check in a private namespace", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) {
			in.HealthCheckConfig = &types.HealthCheckConfig{Type: "HTTP"}
		})), "InvalidInput", s400},
		{"health check with CNAME", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) {
			in.NamespaceId = pub.Id
			in.DnsConfig = &types.DnsConfig{RoutingPolicy: "WEIGHTED", DnsRecords: records("CNAME")}
			in.HealthCheckConfig = &types.HealthCheckConfig{Type: "HTTP"}
		})), "InvalidInput", s400},
		{"TCP check with a path", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) {
			in.NamespaceId = pub.Id
			in.HealthCheckConfig = &types.HealthCheckConfig{Type: "TCP", ResourcePath: aws.String("/")}
		})), "InvalidInput", s400},
		{"health check without type", call(raw.CreateService, svc("x", func(in *sd.CreateServiceInput) {
			in.NamespaceId = pub.Id
			in.HealthCheckConfig = &types.HealthCheckConfig{}
		})), "InvalidInput", s400},
		{"failure threshold 11", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) {
			in.NamespaceId = pub.Id
			in.HealthCheckConfig = &types.HealthCheckConfig{Type: "HTTP", FailureThreshold: aws.Int32(11)}
		})), "InvalidInput", s400},
		{"custom failure threshold 0", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) {
			in.HealthCheckCustomConfig = &types.HealthCheckCustomConfig{FailureThreshold: aws.Int32(0)}
		})), "InvalidInput", s400},
		{"51 tags", call(e.C.CreateService, svc("x", func(in *sd.CreateServiceInput) { in.Tags = tooMany })), "TooManyTagsException", s400},
		{"duplicate name", call(e.C.CreateService, svc("web", nil)), "ServiceAlreadyExists", s400},
		{"duplicate name in another case", call(e.C.CreateService, svc("WEB", nil)), "ServiceAlreadyExists", s400},
	})

	t.Run("ServiceAlreadyExists carries the existing service", func(t *testing.T) {
		_, err := e.C.CreateService(t.Context(), svc("Web", nil))
		got := requireErr[*types.ServiceAlreadyExists](t, err)
		if aws.ToString(got.ServiceId) != aws.ToString(existing.Id) || aws.ToString(got.ServiceArn) != aws.ToString(existing.Arn) || aws.ToString(got.CreatorRequestId) != "first" {
			t.Errorf("ServiceAlreadyExists = {%s %s %s}", aws.ToString(got.ServiceId), aws.ToString(got.ServiceArn), aws.ToString(got.CreatorRequestId))
		}
	})
	t.Run("the same name in another namespace", func(t *testing.T) {
		e.createService(t, svc("web", func(in *sd.CreateServiceInput) { in.NamespaceId = pub.Id }))
	})
}

func TestListServices(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	priv := e.privateNamespace(t, "internal.local", "vpc-1")
	h := e.httpNamespace(t, "api")
	for i := range 3 {
		e.dnsService(t, *priv.Id, fmt.Sprintf("dns%d", i), "", "A")
	}
	web := e.createService(t, &sd.CreateServiceInput{Name: aws.String("web"), NamespaceId: h.Id, HealthCheckCustomConfig: &types.HealthCheckCustomConfig{}})
	e.register(t, *web.Id, "i-1", map[string]string{"k": "v"})

	names := func(out []types.ServiceSummary) string {
		var s []string
		for _, svc := range out {
			s = append(s, aws.ToString(svc.Name))
		}
		return strings.Join(s, ",")
	}
	f := func(name types.ServiceFilterName, values ...string) []types.ServiceFilter {
		return []types.ServiceFilter{{Name: name, Values: values, Condition: types.FilterConditionEq}}
	}
	tests := []struct {
		name    string
		filters []types.ServiceFilter
		want    string
	}{
		{"all", nil, "dns0,dns1,dns2,web"},
		{"namespace ID", f("NAMESPACE_ID", *h.Id), "web"},
		{"namespace ARN", f("NAMESPACE_ID", *priv.Arn), "dns0,dns1,dns2"},
		{"unknown namespace", f("NAMESPACE_ID", "ns-nope"), ""},
		{"SELF", f("RESOURCE_OWNER", "SELF"), "dns0,dns1,dns2,web"},
		{"OTHER_ACCOUNTS", f("RESOURCE_OWNER", "OTHER_ACCOUNTS"), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := must(e.C.ListServices(ctx, &sd.ListServicesInput{Filters: tc.filters}))(t)
			if got := names(out.Services); got != tc.want {
				t.Errorf("services = %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("summary", func(t *testing.T) {
		out := must(e.C.ListServices(ctx, &sd.ListServicesInput{Filters: f("NAMESPACE_ID", *h.Id)}))(t)
		s := out.Services[0]
		if aws.ToInt32(s.InstanceCount) != 1 || s.HealthCheckCustomConfig == nil || s.Type != types.ServiceTypeHttp || aws.ToString(s.Arn) != aws.ToString(web.Arn) {
			t.Errorf("summary = %+v", s)
		}
	})
	t.Run("paginator", func(t *testing.T) {
		var all []types.ServiceSummary
		p := sd.NewListServicesPaginator(e.C, &sd.ListServicesInput{MaxResults: aws.Int32(1)})
		for p.HasMorePages() {
			all = append(all, must(p.NextPage(ctx))(t).Services...)
		}
		if got := names(all); got != "dns0,dns1,dns2,web" {
			t.Errorf("paginated = %s", got)
		}
	})
	runErrCases(t, []errCase{
		{"two values", call(e.C.ListServices, &sd.ListServicesInput{Filters: f("NAMESPACE_ID", "a", "b")}), "InvalidInput", s400},
		{"IN", call(e.C.ListServices, &sd.ListServicesInput{Filters: []types.ServiceFilter{{Name: "NAMESPACE_ID", Values: []string{"a"}, Condition: "IN"}}}), "InvalidInput", s400},
		{"unknown filter", call(e.C.ListServices, &sd.ListServicesInput{Filters: f("NAME", "web")}), "InvalidInput", s400},
		{"bad owner", call(e.C.ListServices, &sd.ListServicesInput{Filters: f("RESOURCE_OWNER", "ME")}), "InvalidInput", s400},
		{"MaxResults 0", call(e.C.ListServices, &sd.ListServicesInput{MaxResults: aws.Int32(0)}), "InvalidInput", s400},
	})
}

func TestUpdateService(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	pub := e.publicNamespace(t, "example.com")
	priv := e.privateNamespace(t, "internal.local", "vpc-1")
	h := e.httpNamespace(t, "api")
	svc := e.dnsService(t, *pub.Id, "www", "", "A", "AAAA")
	custom := e.createService(t, &sd.CreateServiceInput{Name: aws.String("c"), NamespaceId: priv.Id, DnsConfig: &types.DnsConfig{DnsRecords: records("A")}, HealthCheckCustomConfig: &types.HealthCheckCustomConfig{}})
	httpSvc := e.createService(t, &sd.CreateServiceInput{Name: aws.String("h"), NamespaceId: h.Id})
	apiOnly := e.createService(t, &sd.CreateServiceInput{Name: aws.String("apionly"), NamespaceId: priv.Id, Type: types.ServiceTypeOptionHttp})

	before := e.changes.Load()
	op := must(e.C.UpdateService(ctx, &sd.UpdateServiceInput{Id: svc.Id, Service: &types.ServiceChange{
		Description:       aws.String("updated"),
		DnsConfig:         &types.DnsConfigChange{DnsRecords: []types.DnsRecord{{Type: "A", TTL: aws.Int64(300)}}},
		HealthCheckConfig: &types.HealthCheckConfig{Type: "HTTPS", ResourcePath: aws.String("/health")},
	}}))(t)
	if e.changes.Load() == before {
		t.Error("UpdateService of a DNS service did not call OnChange")
	}
	o := must(e.C.GetOperation(ctx, &sd.GetOperationInput{OperationId: op.OperationId}))(t).Operation
	if o.Type != types.OperationTypeUpdateService || o.Targets["SERVICE"] != aws.ToString(svc.Id) {
		t.Errorf("operation = %s %v", o.Type, o.Targets)
	}
	got := must(e.C.GetService(ctx, &sd.GetServiceInput{Id: svc.Id}))(t).Service
	if aws.ToString(got.Description) != "updated" || len(got.DnsConfig.DnsRecords) != 1 || aws.ToInt64(got.DnsConfig.DnsRecords[0].TTL) != 300 ||
		got.DnsConfig.RoutingPolicy != types.RoutingPolicyMultivalue || aws.ToString(got.HealthCheckConfig.ResourcePath) != "/health" {
		t.Errorf("updated service = %+v, %+v, %+v", got, got.DnsConfig, got.HealthCheckConfig)
	}

	// Leaving out DnsConfig keeps the records; leaving out the health
	// check deletes it.
	must(e.C.UpdateService(ctx, &sd.UpdateServiceInput{Id: svc.Arn, Service: &types.ServiceChange{}}))(t)
	got = must(e.C.GetService(ctx, &sd.GetServiceInput{Id: svc.Id}))(t).Service
	if got.HealthCheckConfig != nil || len(got.DnsConfig.DnsRecords) != 1 || aws.ToString(got.Description) != "updated" {
		t.Errorf("after an empty change: %+v", got)
	}

	runErrCases(t, []errCase{
		{"unknown service", call(e.C.UpdateService, &sd.UpdateServiceInput{Id: aws.String("srv-nope"), Service: &types.ServiceChange{}}), "ServiceNotFound", s404},
		{"no change", call(e.unvalidated().UpdateService, &sd.UpdateServiceInput{Id: svc.Id}), "InvalidInput", s400},
		{"new record type", call(e.C.UpdateService, &sd.UpdateServiceInput{Id: svc.Id, Service: &types.ServiceChange{DnsConfig: &types.DnsConfigChange{DnsRecords: records("SRV")}}}), "InvalidInput", s400},
		{"negative TTL", call(e.C.UpdateService, &sd.UpdateServiceInput{Id: svc.Id, Service: &types.ServiceChange{DnsConfig: &types.DnsConfigChange{
			DnsRecords: []types.DnsRecord{{Type: "A", TTL: aws.Int64(-1)}},
		}}}), "InvalidInput", s400},
		{"health check on a custom-check service", call(e.C.UpdateService, &sd.UpdateServiceInput{Id: custom.Id, Service: &types.ServiceChange{HealthCheckConfig: &types.HealthCheckConfig{Type: "TCP"}}}), "InvalidInput", s400},
		{"service of an HTTP namespace", call(e.C.UpdateService, &sd.UpdateServiceInput{Id: httpSvc.Id, Service: &types.ServiceChange{Description: aws.String("x")}}), "InvalidInput", s400},
		{"records for a Type HTTP service", call(e.C.UpdateService, &sd.UpdateServiceInput{Id: apiOnly.Id, Service: &types.ServiceChange{DnsConfig: &types.DnsConfigChange{DnsRecords: records("A")}}}), "InvalidInput", s400},
	})
}

func TestDeleteService(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	ns := e.privateNamespace(t, "internal.local", "vpc-1")
	svc := e.dnsService(t, *ns.Id, "web", "", "A")
	e.register(t, *svc.Id, "i-1", ip(1))
	must(e.C.UpdateServiceAttributes(ctx, &sd.UpdateServiceAttributesInput{ServiceId: svc.Id, Attributes: map[string]string{"a": "1"}}))(t)

	_, err := e.C.DeleteService(ctx, &sd.DeleteServiceInput{Id: svc.Id})
	wantCode(t, err, "ResourceInUse", s409)
	must(e.C.DeregisterInstance(ctx, &sd.DeregisterInstanceInput{ServiceId: svc.Id, InstanceId: aws.String("i-1")}))(t)
	must(e.C.DeleteService(ctx, &sd.DeleteServiceInput{Id: svc.Arn}))(t)
	runErrCases(t, []errCase{
		{"get after delete", call(e.C.GetService, &sd.GetServiceInput{Id: svc.Id}), "ServiceNotFound", s404},
		{"delete again", call(e.C.DeleteService, &sd.DeleteServiceInput{Id: svc.Id}), "ServiceNotFound", s404},
		{"attributes after delete", call(e.C.GetServiceAttributes, &sd.GetServiceAttributesInput{ServiceId: svc.Id}), "ServiceNotFound", s404},
		{"get without ID", call(e.unvalidated().GetService, &sd.GetServiceInput{}), "InvalidInput", s400},
		{"get with a namespace ARN", call(e.C.GetService, &sd.GetServiceInput{Id: ns.Arn}), "ServiceNotFound", s404},
	})
	// A new service of the same name starts without attributes.
	again := e.dnsService(t, *ns.Id, "web", "", "A")
	attrs := must(e.C.GetServiceAttributes(ctx, &sd.GetServiceAttributesInput{ServiceId: again.Id}))(t).ServiceAttributes
	if len(attrs.Attributes) != 0 {
		t.Errorf("attributes = %v", attrs.Attributes)
	}
}

func TestServiceAttributes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	ns := e.httpNamespace(t, "api")
	svc := e.createService(t, &sd.CreateServiceInput{Name: aws.String("web"), NamespaceId: ns.Id})

	get := func() map[string]string {
		out := must(e.C.GetServiceAttributes(ctx, &sd.GetServiceAttributesInput{ServiceId: svc.Id}))(t).ServiceAttributes
		if aws.ToString(out.ServiceArn) != aws.ToString(svc.Arn) || aws.ToString(out.ResourceOwner) != account {
			t.Errorf("ServiceArn, ResourceOwner = %s, %s", aws.ToString(out.ServiceArn), aws.ToString(out.ResourceOwner))
		}
		return out.Attributes
	}
	if got := get(); len(got) != 0 {
		t.Errorf("initial attributes = %v", got)
	}
	must(e.C.UpdateServiceAttributes(ctx, &sd.UpdateServiceAttributesInput{ServiceId: svc.Id, Attributes: map[string]string{"a": "1", "b": "2"}}))(t)
	must(e.C.UpdateServiceAttributes(ctx, &sd.UpdateServiceAttributesInput{ServiceId: svc.Arn, Attributes: map[string]string{"a": "3"}}))(t)
	if got := fmt.Sprint(get()); got != "map[a:3 b:2]" {
		t.Errorf("attributes = %s", got)
	}
	must(e.C.DeleteServiceAttributes(ctx, &sd.DeleteServiceAttributesInput{ServiceId: svc.Id, Attributes: []string{"b", "never"}}))(t)
	if got := fmt.Sprint(get()); got != "map[a:3]" {
		t.Errorf("attributes = %s", got)
	}

	many := map[string]string{}
	for i := range 30 {
		many[fmt.Sprintf("k%d", i)] = "v"
	}
	_, err := e.C.UpdateServiceAttributes(ctx, &sd.UpdateServiceAttributesInput{ServiceId: svc.Id, Attributes: many})
	wantCode(t, err, "ServiceAttributesLimitExceededException", s400)
	runErrCases(t, []errCase{
		{"update unknown service", call(e.C.UpdateServiceAttributes, &sd.UpdateServiceAttributesInput{ServiceId: aws.String("srv-nope"), Attributes: map[string]string{"a": "1"}}), "ServiceNotFound", s404},
		{"delete unknown service", call(e.C.DeleteServiceAttributes, &sd.DeleteServiceAttributesInput{ServiceId: aws.String("srv-nope"), Attributes: []string{"a"}}), "ServiceNotFound", s404},
		{"update nothing", call(e.unvalidated().UpdateServiceAttributes, &sd.UpdateServiceAttributesInput{ServiceId: svc.Id}), "InvalidInput", s400},
		{"delete nothing", call(e.unvalidated().DeleteServiceAttributes, &sd.DeleteServiceAttributesInput{ServiceId: svc.Id}), "InvalidInput", s400},
		{"key with a space", call(e.C.UpdateServiceAttributes, &sd.UpdateServiceAttributesInput{ServiceId: svc.Id, Attributes: map[string]string{"a b": "1"}}), "InvalidInput", s400},
		{"value too long", call(e.C.UpdateServiceAttributes, &sd.UpdateServiceAttributesInput{ServiceId: svc.Id, Attributes: map[string]string{"a": strings.Repeat("v", 1025)}}), "InvalidInput", s400},
		{"31 at once", call(e.C.UpdateServiceAttributes, &sd.UpdateServiceAttributesInput{ServiceId: svc.Id, Attributes: func() map[string]string {
			m := map[string]string{"extra": "v"}
			for k, v := range many {
				m[k] = v
			}
			return m
		}()}), "InvalidInput", s400},
	})
}
