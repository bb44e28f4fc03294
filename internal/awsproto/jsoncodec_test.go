package awsproto

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecsdocument "github.com/aws/aws-sdk-go-v2/service/ecs/document"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/aws/smithy-go/middleware"
)

func TestEncodeJSON(t *testing.T) {
	ts := time.Date(2019, 5, 6, 5, 7, 33, 821_400_000, time.UTC)
	tests := []struct {
		name   string
		in     any
		naming Naming
		want   string
	}{
		{"nil value", nil, LowerFirst, `{}`},
		{"nil pointer", (*ecs.ListTasksOutput)(nil), LowerFirst, `{}`},
		{"empty output skips ResultMetadata", &ecs.DeleteAttributesOutput{ResultMetadata: middleware.Metadata{}}, LowerFirst, `{}`},
		{"nil slice omitted, empty slice kept", &ecs.ListTasksOutput{TaskArns: []string{}}, LowerFirst, `{"taskArns":[]}`},
		{
			"value scalars always written, empty enums left out",
			&ecstypes.Deployment{Id: aws.String("d")},
			LowerFirst,
			`{"desiredCount":0,"failedTasks":0,"id":"d","pendingCount":0,"runningCount":0}`,
		},
		{"lower first keeps acronym tail", &ecstypes.NetworkBinding{BindIP: aws.String("0.0.0.0")}, LowerFirst, `{"bindIP":"0.0.0.0"}`},
		{"as-is naming", &sdtypes.SOA{TTL: aws.Int64(60)}, AsIs, `{"TTL":60}`},
		{"enum as string", &ecstypes.Ulimit{Name: ecstypes.UlimitNameNofile}, LowerFirst, `{"hardLimit":0,"name":"nofile","softLimit":0}`},
		{"timestamp millisecond precision", &ecstypes.ServiceEvent{CreatedAt: &ts}, LowerFirst, `{"createdAt":1557119253.821}`},
		{"whole-second timestamp", &sdtypes.NamespaceSummary{CreateDate: aws.Time(time.Unix(1557119253, 0))}, AsIs, `{"CreateDate":1557119253}`},
		{"pre-1970 timestamp", &ecstypes.ServiceEvent{CreatedAt: aws.Time(time.UnixMilli(-1500))}, LowerFirst, `{"createdAt":-1.5}`},
		{"map keys sorted", &ecstypes.LogConfiguration{Options: map[string]string{"b": "2", "a": "1"}}, LowerFirst, `{"options":{"a":"1","b":"2"}}`},
		{"empty map kept", &ecstypes.LogConfiguration{Options: map[string]string{}}, LowerFirst, `{"options":{}}`},
		{"string escaping", &ecstypes.KeyValuePair{Name: aws.String("q\"\\\n\t\x01\u2028é"), Value: aws.String("\xff")}, LowerFirst, `{"name":"q\"\\\n\t\u0001\u2028é","value":"\ufffd"}`},
		{
			"union variant",
			&ecstypes.ResourceRequirement{SharingStrategy: &ecstypes.SharingStrategyMemberNvidiaMps{Value: ecstypes.NvidiaMpsAllocation{Memory: aws.Int32(1)}}},
			LowerFirst,
			`{"sharingStrategy":{"nvidiaMps":{"memory":1}}}`,
		},
		{"unknown union member omitted", &ecstypes.ResourceRequirement{SharingStrategy: &ecstypes.UnknownUnionMember{Tag: "x"}}, LowerFirst, `{}`},
		{
			"document",
			&ecstypes.DeploymentLifecycleHook{HookDetails: ecsdocument.NewLazyDocument(map[string]any{"n": 1.5, "s": "x"})},
			LowerFirst,
			`{"hookDetails":{"n":1.5,"s":"x"}}`,
		},
		{"float formats", &ecstypes.Resource{DoubleValue: 0.25, LongValue: 1 << 40}, LowerFirst, `{"doubleValue":0.25,"integerValue":0,"longValue":1099511627776}`},
		{"non-finite float", &ecstypes.Resource{DoubleValue: math.Inf(-1)}, LowerFirst, `{"doubleValue":"-Infinity","integerValue":0,"longValue":0}`},
		{"error override never written", &ecstypes.ClusterNotFoundException{ErrorCodeOverride: aws.String("X")}, LowerFirst, `{}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := EncodeJSON(tc.in, tc.naming)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			if !json.Valid(got) {
				t.Errorf("invalid JSON %s", got)
			}
		})
	}
}

func TestEncodeJSONCycle(t *testing.T) {
	type node struct{ Next *node }
	n := &node{}
	n.Next = n
	if _, err := EncodeJSON(n, AsIs); err == nil {
		t.Fatal("expected an error for a pointer cycle")
	}
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		into   any
		naming Naming
		want   any
	}{
		{"empty body", ``, &ecs.ListTasksInput{}, LowerFirst, &ecs.ListTasksInput{}},
		{"whitespace body", " \n", &ecs.ListTasksInput{}, LowerFirst, &ecs.ListTasksInput{}},
		{"empty object", `{}`, &ecs.ListTasksInput{}, LowerFirst, &ecs.ListTasksInput{}},
		{"null body", `null`, &ecs.ListTasksInput{}, LowerFirst, &ecs.ListTasksInput{}},
		{
			"unknown, null and wrong-case members ignored",
			`{"cluster":"c","Cluster":"ignored","bogus":{"deep":[1]},"serviceName":null}`,
			&ecs.ListTasksInput{}, LowerFirst,
			&ecs.ListTasksInput{Cluster: aws.String("c")},
		},
		{
			"as-is naming",
			`{"Name":"ns","Properties":{"DnsProperties":{"SOA":{"TTL":30}}}}`,
			&sd.CreatePrivateDnsNamespaceInput{}, AsIs,
			&sd.CreatePrivateDnsNamespaceInput{Name: aws.String("ns"), Properties: &sdtypes.PrivateDnsNamespaceProperties{
				DnsProperties: &sdtypes.PrivateDnsPropertiesMutable{SOA: &sdtypes.SOA{TTL: aws.Int64(30)}},
			}},
		},
		{
			"integral number forms",
			`{"desiredCount":2.0,"healthCheckGracePeriodSeconds":1e1}`,
			&ecs.CreateServiceInput{}, LowerFirst,
			&ecs.CreateServiceInput{DesiredCount: aws.Int32(2), HealthCheckGracePeriodSeconds: aws.Int32(10)},
		},
		{
			"epoch and ISO-8601 timestamps",
			`{"createdAt":1557119253.821,"updatedAt":"2019-05-06T05:07:33.821+00:00"}`,
			&ecstypes.Deployment{}, LowerFirst,
			&ecstypes.Deployment{CreatedAt: ms(2019, 5, 6, 5, 7, 33, 821), UpdatedAt: ms(2019, 5, 6, 5, 7, 33, 821)},
		},
		{
			"null list element keeps its place",
			`{"tasks":["a",null,"b"]}`,
			&ecs.DescribeTasksInput{}, LowerFirst,
			&ecs.DescribeTasksInput{Tasks: []string{"a", "", "b"}},
		},
		{
			"union variant",
			`{"sharingStrategy":{"nvidiaMps":{"memory":64}}}`,
			&ecstypes.ResourceRequirement{}, LowerFirst,
			&ecstypes.ResourceRequirement{SharingStrategy: &ecstypes.SharingStrategyMemberNvidiaMps{Value: ecstypes.NvidiaMpsAllocation{Memory: aws.Int32(64)}}},
		},
		{
			"union __type marker ignored",
			`{"sharingStrategy":{"__type":"x","nvidiaMps":{"memory":1},"other":null}}`,
			&ecstypes.ResourceRequirement{}, LowerFirst,
			&ecstypes.ResourceRequirement{SharingStrategy: &ecstypes.SharingStrategyMemberNvidiaMps{Value: ecstypes.NvidiaMpsAllocation{Memory: aws.Int32(1)}}},
		},
		{"unknown union variant ignored", `{"sharingStrategy":{"future":{}}}`, &ecstypes.ResourceRequirement{}, LowerFirst, &ecstypes.ResourceRequirement{}},
		{
			"enum-valued union",
			`{"logLevel":"debug"}`,
			new(ecstypes.ServiceConnectContainerConfiguration), LowerFirst,
			ptrTo[ecstypes.ServiceConnectContainerConfiguration](&ecstypes.ServiceConnectContainerConfigurationMemberLogLevel{Value: "debug"}),
		},
		{
			"map values",
			`{"options":{"a":"1","b":""}}`,
			&ecstypes.LogConfiguration{}, LowerFirst,
			&ecstypes.LogConfiguration{Options: map[string]string{"a": "1", "b": ""}},
		},
		{
			"non-finite floats",
			`{"doubleValue":"NaN"}`,
			&ecstypes.Resource{}, LowerFirst,
			nil, // NaN != NaN; checked below
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := DecodeJSON([]byte(tc.body), tc.into, tc.naming); err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				if r := tc.into.(*ecstypes.Resource); !math.IsNaN(r.DoubleValue) {
					t.Errorf("doubleValue = %v, want NaN", r.DoubleValue)
				}
				return
			}
			if !reflect.DeepEqual(tc.into, tc.want) {
				t.Errorf("got  %s\nwant %s", mustEncode(t, tc.into, tc.naming), mustEncode(t, tc.want, tc.naming))
			}
		})
	}
}

func ptrTo[T any](v T) *T { return &v }

func TestDecodeJSONDocument(t *testing.T) {
	var hook ecstypes.DeploymentLifecycleHook
	body := `{"hookDetails":{"n":12345678901234567890,"list":[1.5,null,true,"s"]}}`
	if err := DecodeJSON([]byte(body), &hook, LowerFirst); err != nil {
		t.Fatal(err)
	}
	// Numbers must survive exactly, so re-encoding gives the input back.
	got := mustEncode(t, &hook, LowerFirst)
	if want := `{"hookDetails":{"list":[1.5,null,true,"s"],"n":12345678901234567890}}`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// Handlers read the decoded value through the lazy document's Value
	// method (its UnmarshalSmithyDocument fills the target but then
	// reports an error: an SDK quirk).
	v, ok := hook.HookDetails.(interface{ Value() any })
	if !ok {
		t.Fatalf("HookDetails %T has no Value method", hook.HookDetails)
	}
	if m, ok := v.Value().(map[string]any); !ok || m["list"] == nil {
		t.Errorf("Value() = %#v", v.Value())
	}
}

func TestDecodeJSONErrors(t *testing.T) {
	deep := strings.Repeat(`{"a":`, maxDepth+1) + `1` + strings.Repeat(`}`, maxDepth+1)
	deepList := `{"tasks":` + strings.Repeat(`[`, 5000) + strings.Repeat(`]`, 5000) + `}`
	tests := []struct {
		name     string
		body     string
		into     any
		contains string
	}{
		{"malformed JSON", `{"cluster":`, &ecs.ListTasksInput{}, "unexpected end"},
		{"syntax error", `{"cluster" "x"}`, &ecs.ListTasksInput{}, "malformed JSON at offset"},
		{"trailing data", `{} {}`, &ecs.ListTasksInput{}, "after the top-level value"},
		{"top-level array", `[]`, &ecs.ListTasksInput{}, "must be a JSON object"},
		{"top-level string", `"x"`, &ecs.ListTasksInput{}, "must be a JSON object"},
		{"string for number", `{"maxResults":"10"}`, &ecs.ListTasksInput{}, "expected integer, found string at 'maxResults'"},
		{"number for string", `{"cluster":1}`, &ecs.ListTasksInput{}, "expected string, found number at 'cluster'"},
		{"string for list", `{"tasks":"a"}`, &ecs.DescribeTasksInput{}, "expected list (JSON array), found string at 'tasks'"},
		{"list for struct", `{"networkConfiguration":[]}`, &ecs.CreateServiceInput{}, "expected structure (JSON object), found array"},
		{"number for bool", `{"enableExecuteCommand":1}`, &ecs.CreateServiceInput{}, "expected boolean"},
		{"nested path", `{"containerDefinitions":[{},{"portMappings":[{"containerPort":"80"}]}]}`, &ecs.RegisterTaskDefinitionInput{}, "at 'containerDefinitions[1].portMappings[0].containerPort'"},
		{"map path", `{"options":{"k":1}}`, &ecstypes.LogConfiguration{}, `at 'options["k"]'`},
		{"int32 overflow", `{"maxResults":2147483648}`, &ecs.ListTasksInput{}, "not a valid 32-bit integer"},
		{"fractional int", `{"maxResults":1.5}`, &ecs.ListTasksInput{}, "not a valid 32-bit integer"},
		{"bool for timestamp", `{"createdAt":true}`, &ecstypes.Deployment{}, "expected timestamp"},
		{"bad timestamp text", `{"createdAt":"yesterday"}`, &ecstypes.Deployment{}, "cannot parse timestamp"},
		{"huge timestamp", `{"createdAt":1e300}`, &ecstypes.Deployment{}, "out of range"},
		{"float overflow", `{"doubleValue":1e999}`, &ecstypes.Resource{}, "out of range"},
		{"union with two members", `{"sharingStrategy":{"a":1,"b":2}}`, &ecstypes.ResourceRequirement{}, "exactly one member"},
		{"deep nesting", deep, &ecs.ListTasksInput{}, "nested deeper"},
		{"deep list nesting", deepList, &ecs.DescribeTasksInput{}, "nested deeper"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := DecodeJSON([]byte(tc.body), tc.into, LowerFirst)
			var se *SerializationError
			if !errors.As(err, &se) {
				t.Fatalf("error = %v (%T), want *SerializationError", err, err)
			}
			if !strings.Contains(se.Message, tc.contains) {
				t.Errorf("message %q does not contain %q", se.Message, tc.contains)
			}
		})
	}
}

func TestDecodeJSONBadTarget(t *testing.T) {
	var in ecs.ListTasksInput
	for _, target := range []any{nil, in, (*ecs.ListTasksInput)(nil)} {
		err := DecodeJSON([]byte(`{}`), target, LowerFirst)
		var se *SerializationError
		if err == nil || errors.As(err, &se) {
			t.Errorf("DecodeJSON into %T: error %v, want a plain programming error", target, err)
		}
	}
}

func BenchmarkEncodeJSONDescribeServices(b *testing.B) {
	out := &ecs.DescribeServicesOutput{Services: []ecstypes.Service{*describedService(), *describedService()}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EncodeJSON(out, LowerFirst); err != nil {
			b.Fatal(err)
		}
	}
}
