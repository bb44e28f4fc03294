package servicediscovery_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
)

var (
	namespaceIDRe  = regexp.MustCompile(`^ns-[a-z0-9]{16}$`)
	serviceIDRe    = regexp.MustCompile(`^srv-[a-z0-9]{16}$`)
	operationIDRe  = regexp.MustCompile(`^[a-z0-9]{32}-[a-z0-9]{8}$`)
	hostedZoneIDRe = regexp.MustCompile(`^Z[A-Z0-9]{20}$`)
)

func TestCreateNamespaces(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	created := e.Clock.Now()

	httpOp := must(e.C.CreateHttpNamespace(ctx, &sd.CreateHttpNamespaceInput{
		Name: aws.String("api"), Description: aws.String("HTTP only"), CreatorRequestId: aws.String("req-http"),
		Tags: []types.Tag{tag("env", "dev")},
	}))(t)
	privOp := must(e.C.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{
		Name: aws.String("internal.local"), Vpc: aws.String("vpc-1"),
	}))(t)
	pubOp := must(e.C.CreatePublicDnsNamespace(ctx, &sd.CreatePublicDnsNamespaceInput{
		Name: aws.String("example.com"),
		Properties: &types.PublicDnsNamespaceProperties{DnsProperties: &types.PublicDnsPropertiesMutable{
			SOA: &types.SOA{TTL: aws.Int64(60)},
		}},
	}))(t)
	for _, id := range []string{*httpOp.OperationId, *privOp.OperationId, *pubOp.OperationId} {
		if !operationIDRe.MatchString(id) {
			t.Errorf("operation ID %q does not look like AWS's", id)
		}
	}

	tests := []struct {
		name, opID, wantName string
		wantType             types.NamespaceType
		wantTTL              int64 // 0: no DNS properties
	}{
		{"HTTP", *httpOp.OperationId, "api", types.NamespaceTypeHttp, 0},
		{"private DNS, default SOA TTL", *privOp.OperationId, "internal.local", types.NamespaceTypeDnsPrivate, 15},
		{"public DNS with SOA TTL", *pubOp.OperationId, "example.com", types.NamespaceTypeDnsPublic, 60},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ns := e.namespaceOf(t, tc.opID)
			id := aws.ToString(ns.Id)
			if !namespaceIDRe.MatchString(id) {
				t.Errorf("namespace ID %q", id)
			}
			if got, want := aws.ToString(ns.Arn), "arn:aws:servicediscovery:us-east-1:000000000000:namespace/"+id; got != want {
				t.Errorf("Arn = %s, want %s", got, want)
			}
			if aws.ToString(ns.Name) != tc.wantName || ns.Type != tc.wantType {
				t.Errorf("Name, Type = %s, %s", aws.ToString(ns.Name), ns.Type)
			}
			if got := aws.ToString(ns.Properties.HttpProperties.HttpName); got != tc.wantName {
				t.Errorf("HttpName = %s, want %s", got, tc.wantName)
			}
			if aws.ToString(ns.ResourceOwner) != account || aws.ToInt32(ns.ServiceCount) != 0 {
				t.Errorf("ResourceOwner, ServiceCount = %s, %d", aws.ToString(ns.ResourceOwner), aws.ToInt32(ns.ServiceCount))
			}
			if !aws.ToTime(ns.CreateDate).Equal(created) {
				t.Errorf("CreateDate = %v, want %v", aws.ToTime(ns.CreateDate), created)
			}
			dns := ns.Properties.DnsProperties
			if dns == nil {
				t.Fatal("DnsProperties missing (AWS returns {} for HTTP namespaces)")
			}
			if tc.wantTTL == 0 {
				if dns.HostedZoneId != nil || dns.SOA != nil {
					t.Errorf("HTTP namespace DnsProperties = %+v, want empty", dns)
				}
				return
			}
			if !hostedZoneIDRe.MatchString(aws.ToString(dns.HostedZoneId)) {
				t.Errorf("HostedZoneId = %q", aws.ToString(dns.HostedZoneId))
			}
			if dns.SOA == nil || aws.ToInt64(dns.SOA.TTL) != tc.wantTTL {
				t.Errorf("SOA = %+v, want TTL %d", dns.SOA, tc.wantTTL)
			}
		})
	}

	t.Run("description and creator request ID", func(t *testing.T) {
		ns := e.namespaceOf(t, *httpOp.OperationId)
		if aws.ToString(ns.Description) != "HTTP only" || aws.ToString(ns.CreatorRequestId) != "req-http" {
			t.Errorf("Description, CreatorRequestId = %q, %q", aws.ToString(ns.Description), aws.ToString(ns.CreatorRequestId))
		}
	})
	t.Run("the SDK fills CreatorRequestId", func(t *testing.T) {
		ns := e.namespaceOf(t, *privOp.OperationId)
		if aws.ToString(ns.CreatorRequestId) == "" {
			t.Error("no CreatorRequestId: the SDK sends an idempotency token")
		}
	})
	t.Run("get by ARN", func(t *testing.T) {
		ns := e.namespaceOf(t, *httpOp.OperationId)
		got := must(e.C.GetNamespace(ctx, &sd.GetNamespaceInput{Id: ns.Arn}))(t).Namespace
		if aws.ToString(got.Id) != aws.ToString(ns.Id) {
			t.Errorf("by ARN: %s", aws.ToString(got.Id))
		}
	})
}

func TestCreateNamespaceErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	raw := e.unvalidated()
	existing := e.privateNamespace(t, "taken.local", "vpc-1")
	e.httpNamespace(t, "taken-http")

	var tooMany []types.Tag
	for i := range 51 {
		tooMany = append(tooMany, tag(fmt.Sprintf("k%d", i), "v"))
	}
	runErrCases(t, []errCase{
		{"HTTP name missing", call(raw.CreateHttpNamespace, &sd.CreateHttpNamespaceInput{}), "InvalidInput", s400},
		{"HTTP name with a space", call(e.C.CreateHttpNamespace, &sd.CreateHttpNamespaceInput{Name: aws.String("a b")}), "InvalidInput", s400},
		{"HTTP name that is an ARN", call(e.C.CreateHttpNamespace, &sd.CreateHttpNamespaceInput{Name: aws.String("arn:x")}), "InvalidInput", s400},
		{"HTTP name too long", call(e.C.CreateHttpNamespace, &sd.CreateHttpNamespaceInput{Name: aws.String(strings.Repeat("a", 1025))}), "InvalidInput", s400},
		{"private name too long", call(e.C.CreatePrivateDnsNamespace, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String(strings.Repeat("a", 254)), Vpc: aws.String("vpc-1")}), "InvalidInput", s400},
		{"private without VPC", call(raw.CreatePrivateDnsNamespace, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("x.local")}), "InvalidInput", s400},
		{"public single label", call(e.C.CreatePublicDnsNamespace, &sd.CreatePublicDnsNamespaceInput{Name: aws.String("localhost")}), "InvalidInput", s400},
		{"public label with underscore", call(e.C.CreatePublicDnsNamespace, &sd.CreatePublicDnsNamespaceInput{Name: aws.String("a_b.example.com")}), "InvalidInput", s400},
		{"description too long", call(e.C.CreateHttpNamespace, &sd.CreateHttpNamespaceInput{Name: aws.String("d"), Description: aws.String(strings.Repeat("d", 1025))}), "InvalidInput", s400},
		{"creator request ID too long", call(e.C.CreateHttpNamespace, &sd.CreateHttpNamespaceInput{Name: aws.String("d"), CreatorRequestId: aws.String(strings.Repeat("r", 65))}), "InvalidInput", s400},
		{"negative SOA TTL", call(e.C.CreatePrivateDnsNamespace, &sd.CreatePrivateDnsNamespaceInput{
			Name: aws.String("soa.local"), Vpc: aws.String("vpc-1"),
			Properties: &types.PrivateDnsNamespaceProperties{DnsProperties: &types.PrivateDnsPropertiesMutable{SOA: &types.SOA{TTL: aws.Int64(-1)}}},
		}), "InvalidInput", s400},
		{"SOA without TTL", call(raw.CreatePrivateDnsNamespace, &sd.CreatePrivateDnsNamespaceInput{
			Name: aws.String("soa.local"), Vpc: aws.String("vpc-1"),
			Properties: &types.PrivateDnsNamespaceProperties{DnsProperties: &types.PrivateDnsPropertiesMutable{SOA: &types.SOA{}}},
		}), "InvalidInput", s400},
		{"tag key aws:", call(e.C.CreateHttpNamespace, &sd.CreateHttpNamespaceInput{Name: aws.String("t"), Tags: []types.Tag{tag("aws:x", "v")}}), "InvalidInput", s400},
		{"tag key too long", call(e.C.CreateHttpNamespace, &sd.CreateHttpNamespaceInput{Name: aws.String("t"), Tags: []types.Tag{tag(strings.Repeat("k", 129), "v")}}), "InvalidInput", s400},
		{"51 tags", call(e.C.CreateHttpNamespace, &sd.CreateHttpNamespaceInput{Name: aws.String("t"), Tags: tooMany}), "TooManyTagsException", s400},
		{"HTTP name taken", call(e.C.CreateHttpNamespace, &sd.CreateHttpNamespaceInput{Name: aws.String("taken-http")}), "NamespaceAlreadyExists", s400},
		{"HTTP name taken by a DNS namespace", call(e.C.CreateHttpNamespace, &sd.CreateHttpNamespaceInput{Name: aws.String("taken.local")}), "NamespaceAlreadyExists", s400},
		{"private name taken in the VPC", call(e.C.CreatePrivateDnsNamespace, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("TAKEN.local."), Vpc: aws.String("vpc-1")}), "NamespaceAlreadyExists", s400},
	})

	t.Run("TooManyTagsException names the resource", func(t *testing.T) {
		_, err := e.C.CreateHttpNamespace(t.Context(), &sd.CreateHttpNamespaceInput{Name: aws.String("t"), Tags: tooMany})
		if got := requireErr[*types.TooManyTagsException](t, err); aws.ToString(got.ResourceName) != "t" {
			t.Errorf("ResourceName = %q", aws.ToString(got.ResourceName))
		}
	})

	t.Run("NamespaceAlreadyExists carries the existing namespace", func(t *testing.T) {
		_, err := e.C.CreatePrivateDnsNamespace(t.Context(), &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("taken.local"), Vpc: aws.String("vpc-1"), CreatorRequestId: aws.String("other")})
		got := requireErr[*types.NamespaceAlreadyExists](t, err)
		if aws.ToString(got.NamespaceId) != aws.ToString(existing.Id) || aws.ToString(got.CreatorRequestId) != aws.ToString(existing.CreatorRequestId) {
			t.Errorf("NamespaceAlreadyExists = {%s %s}, want {%s %s}", aws.ToString(got.NamespaceId), aws.ToString(got.CreatorRequestId),
				aws.ToString(existing.Id), aws.ToString(existing.CreatorRequestId))
		}
	})

	t.Run("same private name in another VPC", func(t *testing.T) {
		ns := e.privateNamespace(t, "taken.local", "vpc-2")
		httpName := aws.ToString(ns.Properties.HttpProperties.HttpName)
		if !strings.HasPrefix(httpName, "taken.local-") {
			t.Errorf("HttpName = %q, want taken.local with a generated suffix", httpName)
		}
	})
}

func TestCreateNamespaceRetry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	in := &sd.CreateHttpNamespaceInput{Name: aws.String("retried"), CreatorRequestId: aws.String("token-1")}
	first := must(e.C.CreateHttpNamespace(ctx, in))(t)

	// A retry while the operation runs is a DuplicateRequest naming it.
	e.Clock.Advance(150 * time.Millisecond)
	_, err := e.C.CreateHttpNamespace(ctx, in)
	wantCode(t, err, "DuplicateRequest", s409)
	if dup := requireErr[*types.DuplicateRequest](t, err); aws.ToString(dup.DuplicateOperationId) != *first.OperationId {
		t.Errorf("DuplicateOperationId = %q, want %q", aws.ToString(dup.DuplicateOperationId), *first.OperationId)
	}
	// Once it is done, the namespace exists, with the caller's token.
	e.Clock.Advance(time.Second)
	_, err = e.C.CreateHttpNamespace(ctx, in)
	if got := requireErr[*types.NamespaceAlreadyExists](t, err); aws.ToString(got.CreatorRequestId) != "token-1" {
		t.Errorf("CreatorRequestId = %q", aws.ToString(got.CreatorRequestId))
	}
}

func TestNamespaceLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i := range 50 {
		e.httpNamespace(t, fmt.Sprintf("ns-%d", i))
	}
	_, err := e.C.CreateHttpNamespace(t.Context(), &sd.CreateHttpNamespaceInput{Name: aws.String("one-too-many")})
	wantCode(t, err, "ResourceLimitExceeded", s400)
	// Another region has its own quota.
	must(e.client("eu-west-1").CreateHttpNamespace(t.Context(), &sd.CreateHttpNamespaceInput{Name: aws.String("one-too-many")}))(t)
}

func TestListNamespaces(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	e.httpNamespace(t, "api")
	e.httpNamespace(t, "apps")
	priv := e.privateNamespace(t, "internal.local", "vpc-1")
	e.publicNamespace(t, "example.com")
	e.dnsService(t, *priv.Id, "web", types.RoutingPolicyMultivalue, types.RecordTypeA)

	ids := func(out *sd.ListNamespacesOutput) string {
		var s []string
		for _, ns := range out.Namespaces {
			s = append(s, aws.ToString(ns.Name))
		}
		return strings.Join(s, ",")
	}
	f := func(name types.NamespaceFilterName, cond types.FilterCondition, values ...string) types.NamespaceFilter {
		return types.NamespaceFilter{Name: name, Condition: cond, Values: values}
	}
	tests := []struct {
		name    string
		filters []types.NamespaceFilter
		want    string
	}{
		{"no filter, creation order", nil, "api,apps,internal.local,example.com"},
		{"TYPE", []types.NamespaceFilter{f("TYPE", "", "HTTP")}, "api,apps"},
		{"TYPE BEGINS_WITH", []types.NamespaceFilter{f("TYPE", "BEGINS_WITH", "DNS_")}, "internal.local,example.com"},
		{"NAME", []types.NamespaceFilter{f("NAME", "EQ", "apps")}, "apps"},
		{"NAME BEGINS_WITH", []types.NamespaceFilter{f("NAME", "BEGINS_WITH", "ap")}, "api,apps"},
		{"HTTP_NAME", []types.NamespaceFilter{f("HTTP_NAME", "EQ", "internal.local")}, "internal.local"},
		{"RESOURCE_OWNER SELF", []types.NamespaceFilter{f("RESOURCE_OWNER", "EQ", "SELF")}, "api,apps,internal.local,example.com"},
		{"RESOURCE_OWNER OTHER_ACCOUNTS", []types.NamespaceFilter{f("RESOURCE_OWNER", "EQ", "OTHER_ACCOUNTS")}, ""},
		{"two filters", []types.NamespaceFilter{f("TYPE", "EQ", "HTTP"), f("NAME", "BEGINS_WITH", "apps")}, "apps"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := must(e.C.ListNamespaces(ctx, &sd.ListNamespacesInput{Filters: tc.filters}))(t)
			if got := ids(out); got != tc.want {
				t.Errorf("namespaces = %q, want %q", got, tc.want)
			}
		})
	}

	t.Run("summaries", func(t *testing.T) {
		out := must(e.C.ListNamespaces(ctx, &sd.ListNamespacesInput{Filters: []types.NamespaceFilter{f("NAME", "EQ", "internal.local")}}))(t)
		s := out.Namespaces[0]
		if aws.ToString(s.Id) != aws.ToString(priv.Id) || aws.ToInt32(s.ServiceCount) != 1 || s.Type != types.NamespaceTypeDnsPrivate ||
			aws.ToString(s.Properties.DnsProperties.HostedZoneId) != aws.ToString(priv.Properties.DnsProperties.HostedZoneId) {
			t.Errorf("summary = %+v", s)
		}
	})

	runErrCases(t, []errCase{
		{"IN", call(e.C.ListNamespaces, &sd.ListNamespacesInput{Filters: []types.NamespaceFilter{f("TYPE", "IN", "HTTP", "DNS_PUBLIC")}}), "InvalidInput", s400},
		{"EQ with two values", call(e.C.ListNamespaces, &sd.ListNamespacesInput{Filters: []types.NamespaceFilter{f("NAME", "EQ", "a", "b")}}), "InvalidInput", s400},
		{"unknown type", call(e.C.ListNamespaces, &sd.ListNamespacesInput{Filters: []types.NamespaceFilter{f("TYPE", "EQ", "FTP")}}), "InvalidInput", s400},
		{"unknown filter", call(e.C.ListNamespaces, &sd.ListNamespacesInput{Filters: []types.NamespaceFilter{f("COLOR", "EQ", "red")}}), "InvalidInput", s400},
		{"RESOURCE_OWNER BEGINS_WITH", call(e.C.ListNamespaces, &sd.ListNamespacesInput{Filters: []types.NamespaceFilter{f("RESOURCE_OWNER", "BEGINS_WITH", "S")}}), "InvalidInput", s400},
		{"RESOURCE_OWNER other value", call(e.C.ListNamespaces, &sd.ListNamespacesInput{Filters: []types.NamespaceFilter{f("RESOURCE_OWNER", "EQ", "ME")}}), "InvalidInput", s400},
		{"MaxResults 0", call(e.C.ListNamespaces, &sd.ListNamespacesInput{MaxResults: aws.Int32(0)}), "InvalidInput", s400},
		{"MaxResults 101", call(e.C.ListNamespaces, &sd.ListNamespacesInput{MaxResults: aws.Int32(101)}), "InvalidInput", s400},
		{"bad NextToken", call(e.C.ListNamespaces, &sd.ListNamespacesInput{NextToken: aws.String("garbage")}), "InvalidInput", s400},
	})

	t.Run("paginator", func(t *testing.T) {
		var names []string
		pages := 0
		p := sd.NewListNamespacesPaginator(e.C, &sd.ListNamespacesInput{MaxResults: aws.Int32(3)})
		for p.HasMorePages() {
			out := must(p.NextPage(ctx))(t)
			pages++
			for _, ns := range out.Namespaces {
				names = append(names, aws.ToString(ns.Name))
			}
		}
		if got := strings.Join(names, ","); pages != 2 || got != "api,apps,internal.local,example.com" {
			t.Errorf("%d pages: %s", pages, got)
		}
	})
}

func TestUpdateNamespaces(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	h := e.httpNamespace(t, "api")
	priv := e.privateNamespace(t, "internal.local", "vpc-1")
	pub := e.publicNamespace(t, "example.com")

	op := must(e.C.UpdateHttpNamespace(ctx, &sd.UpdateHttpNamespaceInput{Id: h.Id, Namespace: &types.HttpNamespaceChange{Description: aws.String("new")}}))(t)
	got := must(e.C.GetOperation(ctx, &sd.GetOperationInput{OperationId: op.OperationId}))(t).Operation
	if got.Type != types.OperationTypeUpdateNamespace || got.Targets["NAMESPACE"] != aws.ToString(h.Id) {
		t.Errorf("operation = %s %v", got.Type, got.Targets)
	}
	if ns := must(e.C.GetNamespace(ctx, &sd.GetNamespaceInput{Id: h.Id}))(t).Namespace; aws.ToString(ns.Description) != "new" {
		t.Errorf("Description = %q", aws.ToString(ns.Description))
	}

	before := e.changes.Load()
	must(e.C.UpdatePrivateDnsNamespace(ctx, &sd.UpdatePrivateDnsNamespaceInput{Id: priv.Arn, Namespace: &types.PrivateDnsNamespaceChange{
		Description: aws.String("private"),
		Properties:  &types.PrivateDnsNamespacePropertiesChange{DnsProperties: &types.PrivateDnsPropertiesMutableChange{SOA: &types.SOAChange{TTL: aws.Int64(30)}}},
	}}))(t)
	ns := must(e.C.GetNamespace(ctx, &sd.GetNamespaceInput{Id: priv.Id}))(t).Namespace
	if aws.ToString(ns.Description) != "private" || aws.ToInt64(ns.Properties.DnsProperties.SOA.TTL) != 30 {
		t.Errorf("private namespace = %q, SOA %+v", aws.ToString(ns.Description), ns.Properties.DnsProperties.SOA)
	}
	if e.changes.Load() == before {
		t.Error("an SOA TTL change did not call OnChange")
	}

	must(e.C.UpdatePublicDnsNamespace(ctx, &sd.UpdatePublicDnsNamespaceInput{Id: pub.Id, Namespace: &types.PublicDnsNamespaceChange{
		Properties: &types.PublicDnsNamespacePropertiesChange{DnsProperties: &types.PublicDnsPropertiesMutableChange{SOA: &types.SOAChange{TTL: aws.Int64(100)}}},
	}}))(t)
	ns = must(e.C.GetNamespace(ctx, &sd.GetNamespaceInput{Id: pub.Id}))(t).Namespace
	if aws.ToInt64(ns.Properties.DnsProperties.SOA.TTL) != 100 || ns.Description != nil {
		t.Errorf("public namespace = %q, SOA %+v", aws.ToString(ns.Description), ns.Properties.DnsProperties.SOA)
	}

	retry := &sd.UpdateHttpNamespaceInput{Id: h.Id, UpdaterRequestId: aws.String("u-1"), Namespace: &types.HttpNamespaceChange{Description: aws.String("again")}}
	must(e.C.UpdateHttpNamespace(ctx, retry))(t)
	raw := e.unvalidated()
	runErrCases(t, []errCase{
		{"retry in progress", call(e.C.UpdateHttpNamespace, retry), "DuplicateRequest", s409},
		{"unknown namespace", call(e.C.UpdateHttpNamespace, &sd.UpdateHttpNamespaceInput{Id: aws.String("ns-nope"), Namespace: &types.HttpNamespaceChange{Description: aws.String("x")}}), "NamespaceNotFound", s404},
		{"HTTP update of a DNS namespace", call(e.C.UpdateHttpNamespace, &sd.UpdateHttpNamespaceInput{Id: priv.Id, Namespace: &types.HttpNamespaceChange{Description: aws.String("x")}}), "InvalidInput", s400},
		{"private update of a public namespace", call(e.C.UpdatePrivateDnsNamespace, &sd.UpdatePrivateDnsNamespaceInput{Id: pub.Id, Namespace: &types.PrivateDnsNamespaceChange{Description: aws.String("x")}}), "InvalidInput", s400},
		{"public update of a private namespace", call(e.C.UpdatePublicDnsNamespace, &sd.UpdatePublicDnsNamespaceInput{Id: priv.Id, Namespace: &types.PublicDnsNamespaceChange{Description: aws.String("x")}}), "InvalidInput", s400},
		{"HTTP change without description", call(raw.UpdateHttpNamespace, &sd.UpdateHttpNamespaceInput{Id: h.Id, Namespace: &types.HttpNamespaceChange{}}), "InvalidInput", s400},
		{"no change", call(raw.UpdatePrivateDnsNamespace, &sd.UpdatePrivateDnsNamespaceInput{Id: priv.Id}), "InvalidInput", s400},
		{"negative SOA TTL", call(e.C.UpdatePublicDnsNamespace, &sd.UpdatePublicDnsNamespaceInput{Id: pub.Id, Namespace: &types.PublicDnsNamespaceChange{
			Properties: &types.PublicDnsNamespacePropertiesChange{DnsProperties: &types.PublicDnsPropertiesMutableChange{SOA: &types.SOAChange{TTL: aws.Int64(-5)}}},
		}}), "InvalidInput", s400},
		{"namespace ARN of another region", call(e.C.UpdateHttpNamespace, &sd.UpdateHttpNamespaceInput{
			Id: aws.String(strings.Replace(aws.ToString(h.Arn), "us-east-1", "eu-west-1", 1)), Namespace: &types.HttpNamespaceChange{Description: aws.String("x")},
		}), "NamespaceNotFound", s404},
	})
	e.Clock.Advance(time.Second)
	must(e.C.UpdateHttpNamespace(ctx, retry))(t) // the first one is done: not a duplicate any more
}

func TestDeleteNamespace(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := t.Context()
	ns := e.privateNamespace(t, "internal.local", "vpc-1")
	svc := e.dnsService(t, *ns.Id, "web", types.RoutingPolicyMultivalue, types.RecordTypeA)

	_, err := e.C.DeleteNamespace(ctx, &sd.DeleteNamespaceInput{Id: ns.Id})
	wantCode(t, err, "ResourceInUse", s409)

	must(e.C.DeleteService(ctx, &sd.DeleteServiceInput{Id: svc.Id}))(t)
	op := must(e.C.DeleteNamespace(ctx, &sd.DeleteNamespaceInput{Id: ns.Arn}))(t)
	got := must(e.C.GetOperation(ctx, &sd.GetOperationInput{OperationId: op.OperationId}))(t).Operation
	if got.Type != types.OperationTypeDeleteNamespace || got.Targets["NAMESPACE"] != aws.ToString(ns.Id) {
		t.Errorf("operation = %s %v", got.Type, got.Targets)
	}
	runErrCases(t, []errCase{
		{"get after delete", call(e.C.GetNamespace, &sd.GetNamespaceInput{Id: ns.Id}), "NamespaceNotFound", s404},
		{"delete again", call(e.C.DeleteNamespace, &sd.DeleteNamespaceInput{Id: ns.Id}), "NamespaceNotFound", s404},
		{"delete without ID", call(e.unvalidated().DeleteNamespace, &sd.DeleteNamespaceInput{}), "InvalidInput", s400},
		{"get with a service ARN", call(e.C.GetNamespace, &sd.GetNamespaceInput{Id: svc.Arn}), "NamespaceNotFound", s404},
	})
	// The name is free again.
	e.privateNamespace(t, "internal.local", "vpc-1")
}
