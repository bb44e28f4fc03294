package awsproto

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
)

// fuzzTarget is an input type the fuzzer decodes into.
type fuzzTarget struct {
	typ    reflect.Type
	naming Naming
}

var fuzzTargets = []fuzzTarget{
	{reflect.TypeFor[ecs.RegisterTaskDefinitionInput](), LowerFirst},
	{reflect.TypeFor[ecs.CreateServiceInput](), LowerFirst},
	{reflect.TypeFor[ecs.DescribeTasksInput](), LowerFirst},
	{reflect.TypeFor[ecs.ListTasksInput](), LowerFirst},
	{reflect.TypeFor[ecs.RunTaskInput](), LowerFirst},
	{reflect.TypeFor[ecstypes.Resource](), LowerFirst}, // floats, int64
	{reflect.TypeFor[sd.CreatePrivateDnsNamespaceInput](), AsIs},
	{reflect.TypeFor[sd.RegisterInstanceInput](), AsIs},
}

// FuzzDecodeJSON checks that no input makes DecodeJSON panic or fail with
// anything but a *SerializationError, and that whatever it accepts
// re-encodes to valid JSON that decodes and encodes to the same bytes.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range sdkRequestBodies(f) {
		f.Add(seed.target, seed.body)
	}
	for _, body := range []string{
		`{}`, ``, `null`, `[]`, `{"tasks":[null,"a"]}`, `{"doubleValue":"NaN","longValue":9223372036854775807}`,
		`{"startedAt":"2019-05-06T05:07:33.8219999Z"}`, `{"overrides":{"containerOverrides":[{"cpu":1e2}]}}`,
		`{"Attributes":{"AWS_INSTANCE_IPV4":"10.0.0.1","":"x"}}`,
		`{"deploymentConfiguration":{"lifecycleHooks":[{"hookDetails":{"":[1,{"a":null}],"b":-0.0e-5}}]}}`,
		`{"containerDefinitions":[{"resourceRequirements":[{"sharingStrategy":{"nvidiaMps":{"memory":1}}}]}]}`,
	} {
		for i := range fuzzTargets {
			f.Add(uint8(i), []byte(body))
		}
	}
	f.Fuzz(func(t *testing.T, target uint8, body []byte) {
		ft := fuzzTargets[int(target)%len(fuzzTargets)]
		first, ok := fuzzDecode(t, ft, body)
		if !ok {
			return
		}
		encoded, err := EncodeJSON(first, ft.naming)
		if err != nil {
			t.Fatalf("EncodeJSON after decoding %q: %v", body, err)
		}
		second, ok := fuzzDecode(t, ft, encoded)
		if !ok {
			t.Fatalf("re-decoding %s failed", encoded)
		}
		again, err := EncodeJSON(second, ft.naming)
		if err != nil || !bytes.Equal(encoded, again) {
			t.Fatalf("not stable: %s\nthen %s (%v)", encoded, again, err)
		}
	})
}

func fuzzDecode(t *testing.T, ft fuzzTarget, body []byte) (any, bool) {
	v := reflect.New(ft.typ).Interface()
	err := DecodeJSON(body, v, ft.naming)
	var se *SerializationError
	if err != nil && !errors.As(err, &se) {
		t.Fatalf("DecodeJSON(%q) returned %T %v, want *SerializationError", body, err, err)
	}
	return v, err == nil
}

type seedBody struct {
	target uint8
	body   []byte
}

// sdkRequestBodies captures the bodies the real SDK clients send for the
// round-trip fixtures, so fuzzing starts from realistic requests.
func sdkRequestBodies(tb testing.TB) []seedBody {
	var mu sync.Mutex
	var last []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		last = body
		mu.Unlock()
		_ = WriteJSON(w, "seed", nil, LowerFirst)
	}))
	defer srv.Close()
	ctx := context.Background()
	ecsc, cmc := ecsClient(srv.URL), cloudMapClient(srv.URL)
	calls := []struct {
		target uint8
		call   func() error
	}{
		{0, func() error { _, err := ecsc.RegisterTaskDefinition(ctx, registerTaskDefinitionInput()); return err }},
		{1, func() error { _, err := ecsc.CreateService(ctx, createServiceInput()); return err }},
		{2, func() error {
			_, err := ecsc.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: []string{"t"}})
			return err
		}},
		{3, func() error {
			_, err := ecsc.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), NextToken: aws.String("n"), MaxResults: aws.Int32(5)})
			return err
		}},
		{4, func() error {
			_, err := ecsc.RunTask(ctx, &ecs.RunTaskInput{TaskDefinition: aws.String("web:1"), Count: aws.Int32(2), Overrides: &ecstypes.TaskOverride{
				ContainerOverrides: []ecstypes.ContainerOverride{{Name: aws.String("web"), Command: []string{"sh"}, Environment: []ecstypes.KeyValuePair{{Name: aws.String("A"), Value: aws.String("1")}}}},
			}})
			return err
		}},
		{6, func() error {
			_, err := cmc.CreatePrivateDnsNamespace(ctx, createPrivateDnsNamespaceInput())
			return err
		}},
		{7, func() error {
			_, err := cmc.RegisterInstance(ctx, &sd.RegisterInstanceInput{ServiceId: aws.String("srv-1"), InstanceId: aws.String("i-1"), Attributes: map[string]string{"AWS_INSTANCE_IPV4": "10.0.0.1", "AWS_INSTANCE_PORT": "80"}})
			return err
		}},
	}
	var seeds []seedBody
	for _, c := range calls {
		if err := c.call(); err != nil {
			tb.Fatalf("capturing seed body: %v", err)
		}
		mu.Lock()
		seeds = append(seeds, seedBody{c.target, last})
		mu.Unlock()
	}
	return seeds
}
