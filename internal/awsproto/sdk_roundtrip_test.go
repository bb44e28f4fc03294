package awsproto

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecsdocument "github.com/aws/aws-sdk-go-v2/service/ecs/document"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// fakeServer is an httptest server that decodes every request into a fresh
// value of the input type of the case under test and replies with a canned
// output or error, the way the real service adapters will.
type fakeServer struct {
	t      *testing.T
	naming Naming
	status StatusFunc
	op     string
	in     reflect.Type // input struct type
	reply  any          // output value or error

	mu      sync.Mutex
	decoded any
	body    string
}

func newFakeServer(t *testing.T, n Naming, status StatusFunc, op string, in, reply any) *fakeServer {
	t.Helper()
	return &fakeServer{t: t, naming: n, status: status, op: op, in: reflect.TypeOf(in).Elem(), reply: reply}
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	reqID := NewRequestID()
	route, err := testRouter.Classify(r, body, "us-east-1")
	if err != nil || route.Operation != f.op {
		f.t.Errorf("Classify = %+v, %v; want operation %s", route, err, f.op)
	}
	in := reflect.New(f.in).Interface()
	if err := DecodeJSON(body, in, f.naming); err != nil {
		f.t.Errorf("DecodeJSON(%s): %v", body, err)
	}
	f.mu.Lock()
	f.decoded, f.body = in, string(body)
	f.mu.Unlock()
	if replyErr, ok := f.reply.(error); ok {
		WriteJSONError(w, reqID, replyErr, f.naming, f.status)
		return
	}
	if err := WriteJSON(w, reqID, f.reply, f.naming); err != nil {
		f.t.Errorf("WriteJSON: %v", err)
	}
}

func (f *fakeServer) request() (any, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.decoded, f.body
}

func testConfig() aws.Config {
	return aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("a", "b", ""),
		RetryMaxAttempts: 1,
	}
}

func ecsClient(url string) *ecs.Client {
	return ecs.NewFromConfig(testConfig(), func(o *ecs.Options) { o.BaseEndpoint = aws.String(url) })
}

func cloudMapClient(url string) *sd.Client {
	return sd.NewFromConfig(testConfig(), func(o *sd.Options) { o.BaseEndpoint = aws.String(url) })
}

// invoker adapts a client method expression such as
// (*ecs.Client).ListTasks and its input into one call signature.
type invoker[C any] func(ctx context.Context, c *C) (any, error)

func call[C, I, O, Opt any](method func(*C, context.Context, *I, ...func(*Opt)) (*O, error), in *I) invoker[C] {
	return func(ctx context.Context, c *C) (any, error) {
		out, err := method(c, ctx, in)
		if err != nil {
			return nil, err
		}
		return out, nil
	}
}

type roundTrip[C any] struct {
	name   string
	op     string
	in     any // pointer to the input the client sends
	out    any // pointer to the output the server answers
	invoke invoker[C]
}

// runRoundTrip checks that the server decoded exactly what the client sent
// and that the client decoded exactly what the server answered.
func runRoundTrip[C any](t *testing.T, n Naming, newClient func(string) *C, tc roundTrip[C]) {
	t.Helper()
	fake := newFakeServer(t, n, nil, tc.op, tc.in, tc.out)
	srv := httptest.NewServer(fake)
	defer srv.Close()

	got, err := tc.invoke(context.Background(), newClient(srv.URL))
	if err != nil {
		t.Fatalf("%s: %v", tc.op, err)
	}
	decoded, body := fake.request()
	t.Logf("request body: %s", body)
	if !reflect.DeepEqual(decoded, tc.in) {
		t.Errorf("server decoded a different input\nwire: %s\ngot:  %s\nwant: %s", body, mustEncode(t, decoded, n), mustEncode(t, tc.in, n))
	}
	clearResultMetadata(got)
	if !reflect.DeepEqual(got, tc.out) {
		t.Errorf("client decoded a different output\ngot:  %s\nwant: %s", mustEncode(t, got, n), mustEncode(t, tc.out, n))
	}
}

func clearResultMetadata(out any) {
	v := reflect.ValueOf(out).Elem()
	if f := v.FieldByName("ResultMetadata"); f.IsValid() {
		f.Set(reflect.ValueOf(middleware.Metadata{}))
	}
}

func mustEncode(t *testing.T, v any, n Naming) string {
	t.Helper()
	b, err := EncodeJSON(v, n)
	if err != nil {
		t.Fatalf("EncodeJSON: %v", err)
	}
	return string(b)
}

// ms builds a UTC time with millisecond precision, the precision of the
// wire format.
func ms(year int, month time.Month, day, hour, minute, sec, milli int) *time.Time {
	t := time.Date(year, month, day, hour, minute, sec, milli*int(time.Millisecond), time.UTC)
	return &t
}

func richContainer() ecstypes.ContainerDefinition {
	return ecstypes.ContainerDefinition{
		Name:       aws.String("web"),
		Image:      aws.String("nginx:1.27"),
		Cpu:        256,
		Memory:     aws.Int32(512),
		Essential:  aws.Bool(true),
		EntryPoint: []string{"/docker-entrypoint.sh"},
		Command:    []string{"nginx", "-g", "daemon off;"},
		PortMappings: []ecstypes.PortMapping{
			{ContainerPort: aws.Int32(80), HostPort: aws.Int32(80), Protocol: ecstypes.TransportProtocolTcp, Name: aws.String("http"), AppProtocol: ecstypes.ApplicationProtocolHttp},
			{ContainerPortRange: aws.String("9000-9010"), Protocol: ecstypes.TransportProtocolUdp},
		},
		Environment: []ecstypes.KeyValuePair{
			{Name: aws.String("MODE"), Value: aws.String("prod \"quoted\" \u00e9\n")},
			{Name: aws.String("EMPTY"), Value: aws.String("")},
		},
		HealthCheck: &ecstypes.HealthCheck{
			Command:     []string{"CMD-SHELL", "curl -f http://localhost/ || exit 1"},
			Interval:    aws.Int32(10),
			Timeout:     aws.Int32(5),
			Retries:     aws.Int32(3),
			StartPeriod: aws.Int32(0),
		},
		Ulimits: []ecstypes.Ulimit{{Name: ecstypes.UlimitNameNofile, SoftLimit: 1024, HardLimit: 4096}},
		DependsOn: []ecstypes.ContainerDependency{
			{ContainerName: aws.String("init"), Condition: ecstypes.ContainerConditionSuccess},
		},
		DockerLabels: map[string]string{"team": "core", "tier": ""},
		ResourceRequirements: []ecstypes.ResourceRequirement{{
			Type:            ecstypes.ResourceTypeGpu,
			Value:           aws.String("1"),
			SharingStrategy: &ecstypes.SharingStrategyMemberNvidiaMps{Value: ecstypes.NvidiaMpsAllocation{Memory: aws.Int32(2048)}},
		}},
		LogConfiguration: &ecstypes.LogConfiguration{
			LogDriver: ecstypes.LogDriverAwslogs,
			Options:   map[string]string{"awslogs-group": "/ecs/web"},
		},
		Links:                  []string{}, // empty but present: must survive as []
		ReadonlyRootFilesystem: aws.Bool(false),
	}
}

func TestECSRoundTrips(t *testing.T) {
	rtdIn := registerTaskDefinitionInput()
	rtdOut := &ecs.RegisterTaskDefinitionOutput{
		TaskDefinition: &ecstypes.TaskDefinition{
			TaskDefinitionArn:       aws.String("arn:aws:ecs:us-east-1:000000000000:task-definition/web:3"),
			Family:                  aws.String("web"),
			Revision:                3,
			Status:                  ecstypes.TaskDefinitionStatusActive,
			ContainerDefinitions:    rtdIn.ContainerDefinitions,
			Compatibilities:         []ecstypes.Compatibility{ecstypes.CompatibilityEc2, ecstypes.CompatibilityFargate},
			RequiresCompatibilities: rtdIn.RequiresCompatibilities,
			RegisteredAt:            ms(2025, 1, 2, 3, 4, 5, 821),
			RequiresAttributes:      []ecstypes.Attribute{{Name: aws.String("com.amazonaws.ecs.capability.docker-remote-api.1.18")}},
			Volumes:                 []ecstypes.Volume{},
			Cpu:                     aws.String("512"),
			Memory:                  aws.String("1024"),
		},
		Tags: rtdIn.Tags,
	}

	csIn := createServiceInput()
	csOut := &ecs.CreateServiceOutput{Service: describedService()}
	// The hook details come back through the client as a different
	// document implementation, so the output side leaves them out.
	csOut.Service.DeploymentConfiguration = &ecstypes.DeploymentConfiguration{
		MaximumPercent:           aws.Int32(200),
		MinimumHealthyPercent:    aws.Int32(100),
		DeploymentCircuitBreaker: &ecstypes.DeploymentCircuitBreaker{Enable: true, Rollback: false},
	}

	dtIn := &ecs.DescribeTasksInput{
		Cluster: aws.String("demo"),
		Tasks:   []string{"arn:aws:ecs:us-east-1:000000000000:task/demo/abc", "missing"},
		Include: []ecstypes.TaskField{ecstypes.TaskFieldTags},
	}
	dtOut := &ecs.DescribeTasksOutput{
		Tasks:    []ecstypes.Task{describedTask()},
		Failures: []ecstypes.Failure{{Arn: aws.String("missing"), Reason: aws.String("MISSING")}},
	}

	dsIn := &ecs.DescribeServicesInput{Cluster: aws.String("demo"), Services: []string{"web"}}
	dsOut := &ecs.DescribeServicesOutput{Services: []ecstypes.Service{*describedService()}, Failures: []ecstypes.Failure{}}

	ltIn := &ecs.ListTasksInput{
		Cluster:       aws.String("demo"),
		ServiceName:   aws.String("web"),
		DesiredStatus: ecstypes.DesiredStatusRunning,
		MaxResults:    aws.Int32(2),
		NextToken:     aws.String("page-2"),
	}
	ltOut := &ecs.ListTasksOutput{
		TaskArns:  []string{"arn:aws:ecs:us-east-1:000000000000:task/demo/3", "arn:aws:ecs:us-east-1:000000000000:task/demo/4"},
		NextToken: aws.String("page-3"),
	}

	emptyIn := &ecs.ListClustersInput{}
	emptyOut := &ecs.ListClustersOutput{ClusterArns: []string{}}

	tests := []roundTrip[ecs.Client]{
		{"RegisterTaskDefinition", "RegisterTaskDefinition", rtdIn, rtdOut, call((*ecs.Client).RegisterTaskDefinition, rtdIn)},
		{"CreateService", "CreateService", csIn, csOut, call((*ecs.Client).CreateService, csIn)},
		{"DescribeTasks", "DescribeTasks", dtIn, dtOut, call((*ecs.Client).DescribeTasks, dtIn)},
		{"DescribeServices", "DescribeServices", dsIn, dsOut, call((*ecs.Client).DescribeServices, dsIn)},
		{"ListTasks with nextToken", "ListTasks", ltIn, ltOut, call((*ecs.Client).ListTasks, ltIn)},
		{"empty input, empty list output", "ListClusters", emptyIn, emptyOut, call((*ecs.Client).ListClusters, emptyIn)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { runRoundTrip(t, LowerFirst, ecsClient, tc) })
	}
}

func describedTask() ecstypes.Task {
	return ecstypes.Task{
		TaskArn:           aws.String("arn:aws:ecs:us-east-1:000000000000:task/demo/abc"),
		ClusterArn:        aws.String("arn:aws:ecs:us-east-1:000000000000:cluster/demo"),
		TaskDefinitionArn: aws.String("arn:aws:ecs:us-east-1:000000000000:task-definition/web:3"),
		LastStatus:        aws.String("RUNNING"),
		DesiredStatus:     aws.String("RUNNING"),
		LaunchType:        ecstypes.LaunchTypeFargate,
		HealthStatus:      ecstypes.HealthStatusHealthy,
		Connectivity:      ecstypes.ConnectivityConnected,
		CreatedAt:         ms(2019, 5, 6, 5, 7, 33, 821),
		ConnectivityAt:    ms(2019, 5, 6, 5, 7, 34, 0),
		PullStartedAt:     ms(2019, 5, 6, 5, 7, 35, 1),
		PullStoppedAt:     ms(2019, 5, 6, 5, 7, 36, 10),
		StartedAt:         ms(2019, 5, 6, 5, 7, 37, 100),
		StartedBy:         aws.String("ecs-svc/123"),
		Group:             aws.String("service:web"),
		Cpu:               aws.String("512"),
		Memory:            aws.String("1024"),
		Version:           4,
		Containers: []ecstypes.Container{{
			ContainerArn: aws.String("arn:aws:ecs:us-east-1:000000000000:container/demo/abc/1"),
			Name:         aws.String("web"),
			Image:        aws.String("nginx:1.27"),
			LastStatus:   aws.String("RUNNING"),
			HealthStatus: ecstypes.HealthStatusHealthy,
			ExitCode:     aws.Int32(0),
			RuntimeId:    aws.String("abc-1"),
			NetworkBindings: []ecstypes.NetworkBinding{
				{BindIP: aws.String("0.0.0.0"), ContainerPort: aws.Int32(80), HostPort: aws.Int32(32768), Protocol: ecstypes.TransportProtocolTcp},
			},
			NetworkInterfaces:  []ecstypes.NetworkInterface{{AttachmentId: aws.String("eni-att-1"), PrivateIpv4Address: aws.String("10.0.0.5")}},
			GpuSharingStrategy: &ecstypes.SharingStrategyMemberNvidiaMps{Value: ecstypes.NvidiaMpsAllocation{MaxComputePercent: aws.Int32(50)}},
		}},
		Attachments: []ecstypes.Attachment{{
			Id:     aws.String("att-1"),
			Type:   aws.String("ElasticNetworkInterface"),
			Status: aws.String("ATTACHED"),
			Details: []ecstypes.KeyValuePair{
				{Name: aws.String("subnetId"), Value: aws.String("subnet-1")},
				{Name: aws.String("privateIPv4Address"), Value: aws.String("10.0.0.5")},
			},
		}},
		Tags:            []ecstypes.Tag{},
		Overrides:       &ecstypes.TaskOverride{ContainerOverrides: []ecstypes.ContainerOverride{{Name: aws.String("web")}}},
		StopCode:        "",
		Attributes:      nil,
		PlatformVersion: aws.String("1.4.0"),
	}
}

func describedService() *ecstypes.Service {
	return &ecstypes.Service{
		ServiceArn:           aws.String("arn:aws:ecs:us-east-1:000000000000:service/demo/web"),
		ServiceName:          aws.String("web"),
		ClusterArn:           aws.String("arn:aws:ecs:us-east-1:000000000000:cluster/demo"),
		Status:               aws.String("ACTIVE"),
		DesiredCount:         2,
		RunningCount:         0, // zero value scalars must still reach the client
		PendingCount:         2,
		LaunchType:           ecstypes.LaunchTypeFargate,
		SchedulingStrategy:   ecstypes.SchedulingStrategyReplica,
		TaskDefinition:       aws.String("arn:aws:ecs:us-east-1:000000000000:task-definition/web:3"),
		CreatedAt:            ms(2024, 12, 31, 23, 59, 59, 999),
		CreatedBy:            aws.String("arn:aws:iam::000000000000:root"),
		DeploymentController: &ecstypes.DeploymentController{Type: ecstypes.DeploymentControllerTypeEcs},
		Deployments: []ecstypes.Deployment{
			{
				Id:                 aws.String("ecs-svc/2"),
				Status:             aws.String("PRIMARY"),
				TaskDefinition:     aws.String("arn:aws:ecs:us-east-1:000000000000:task-definition/web:3"),
				DesiredCount:       2,
				PendingCount:       2,
				RunningCount:       0,
				FailedTasks:        1,
				RolloutState:       ecstypes.DeploymentRolloutStateInProgress,
				RolloutStateReason: aws.String("ECS deployment ecs-svc/2 in progress."),
				CreatedAt:          ms(2025, 1, 1, 0, 0, 0, 0),
				UpdatedAt:          ms(2025, 1, 1, 0, 0, 1, 500),
				LaunchType:         ecstypes.LaunchTypeFargate,
			},
			{Id: aws.String("ecs-svc/1"), Status: aws.String("ACTIVE"), DesiredCount: 0, RunningCount: 2},
		},
		Events: []ecstypes.ServiceEvent{
			{Id: aws.String("e2"), CreatedAt: ms(2025, 1, 1, 0, 0, 2, 0), Message: aws.String("(service web) has reached a steady state.")},
			{Id: aws.String("e1"), CreatedAt: ms(2025, 1, 1, 0, 0, 1, 7), Message: aws.String("(service web) has started 2 tasks: (task abc) (task def).")},
		},
		LoadBalancers:     []ecstypes.LoadBalancer{{TargetGroupArn: aws.String("tg"), ContainerName: aws.String("web"), ContainerPort: aws.Int32(80)}},
		ServiceRegistries: []ecstypes.ServiceRegistry{},
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
			Subnets: []string{"subnet-1"}, AssignPublicIp: ecstypes.AssignPublicIpDisabled,
		}},
		EnableExecuteCommand: false,
		EnableECSManagedTags: true,
		PropagateTags:        ecstypes.PropagateTagsNone,
		Tags:                 []ecstypes.Tag{{Key: aws.String("env"), Value: aws.String("dev")}},
	}
}

func TestCloudMapRoundTrips(t *testing.T) {
	cnIn := createPrivateDnsNamespaceInput()
	cnOut := &sd.CreatePrivateDnsNamespaceOutput{OperationId: aws.String("op-1")}

	lnIn := &sd.ListNamespacesInput{
		MaxResults: aws.Int32(10),
		NextToken:  aws.String("t1"),
		Filters: []sdtypes.NamespaceFilter{{
			Name: sdtypes.NamespaceFilterNameType, Values: []string{"DNS_PRIVATE"}, Condition: sdtypes.FilterConditionEq,
		}},
	}
	lnOut := &sd.ListNamespacesOutput{
		Namespaces: []sdtypes.NamespaceSummary{{
			Id:           aws.String("ns-abc"),
			Arn:          aws.String("arn:aws:servicediscovery:us-east-1:000000000000:namespace/ns-abc"),
			Name:         aws.String("internal.local"),
			Type:         sdtypes.NamespaceTypeDnsPrivate,
			CreateDate:   ms(2019, 5, 6, 5, 7, 33, 821),
			ServiceCount: aws.Int32(0),
			Properties: &sdtypes.NamespaceProperties{
				DnsProperties:  &sdtypes.DnsProperties{HostedZoneId: aws.String("Z1"), SOA: &sdtypes.SOA{TTL: aws.Int64(15)}},
				HttpProperties: &sdtypes.HttpProperties{HttpName: aws.String("internal.local")},
			},
		}},
		NextToken: aws.String("t2"),
	}

	tests := []roundTrip[sd.Client]{
		{"CreatePrivateDnsNamespace", "CreatePrivateDnsNamespace", cnIn, cnOut, call((*sd.Client).CreatePrivateDnsNamespace, cnIn)},
		{"ListNamespaces", "ListNamespaces", lnIn, lnOut, call((*sd.Client).ListNamespaces, lnIn)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { runRoundTrip(t, AsIs, cloudMapClient, tc) })
	}
}

// TestECSListTasksPaginator drives the SDK paginator through two pages,
// so nextToken must travel both ways.
func TestECSListTasksPaginator(t *testing.T) {
	pages := map[string]*ecs.ListTasksOutput{
		"":   {TaskArns: []string{"t1", "t2"}, NextToken: aws.String("p2")},
		"p2": {TaskArns: []string{"t3"}},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var in ecs.ListTasksInput
		if err := DecodeJSON(body, &in, LowerFirst); err != nil {
			WriteJSONError(w, "r", err, LowerFirst, nil)
			return
		}
		_ = WriteJSON(w, "r", pages[aws.ToString(in.NextToken)], LowerFirst)
	}))
	defer srv.Close()

	var arns []string
	p := ecs.NewListTasksPaginator(ecsClient(srv.URL), &ecs.ListTasksInput{Cluster: aws.String("demo")})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		arns = append(arns, page.TaskArns...)
	}
	if got := strings.Join(arns, ","); got != "t1,t2,t3" {
		t.Errorf("paginated arns = %s, want t1,t2,t3", got)
	}
}

func TestErrorRoundTrips(t *testing.T) {
	t.Run("ECS ClusterNotFoundException", func(t *testing.T) {
		want := &ecstypes.ClusterNotFoundException{Message: aws.String("Cluster not found.")}
		err := callECSWithError(t, want)
		var got *ecstypes.ClusterNotFoundException
		if !errors.As(err, &got) {
			t.Fatalf("error %T %v is not a ClusterNotFoundException", err, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
		assertStatus(t, err, http.StatusBadRequest)
	})
	t.Run("ECS ConflictException with resourceIds", func(t *testing.T) {
		want := &ecstypes.ConflictException{Message: aws.String("busy"), ResourceIds: []string{"r-1", "r-2"}}
		err := callECSWithError(t, want)
		var got *ecstypes.ConflictException
		if !errors.As(err, &got) {
			t.Fatalf("error %T %v is not a ConflictException", err, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
	})
	t.Run("ECS ServerException is 500", func(t *testing.T) {
		err := callECSWithError(t, &ecstypes.ServerException{Message: aws.String("boom")})
		var got *ecstypes.ServerException
		if !errors.As(err, &got) || aws.ToString(got.Message) != "boom" {
			t.Fatalf("error %T %v is not ServerException{boom}", err, err)
		}
		assertStatus(t, err, http.StatusInternalServerError)
	})
	t.Run("non-API error becomes InternalFailure", func(t *testing.T) {
		err := callECSWithError(t, errors.New("nil map write"))
		var api smithy.APIError
		if !errors.As(err, &api) || api.ErrorCode() != "InternalFailure" {
			t.Fatalf("error %T %v, want code InternalFailure", err, err)
		}
		assertStatus(t, err, http.StatusInternalServerError)
	})
	t.Run("Cloud Map NamespaceNotFound is 404", func(t *testing.T) {
		want := &sdtypes.NamespaceNotFound{Message: aws.String("Namespace ns-x not found")}
		err := callCloudMapWithError(t, want)
		var got *sdtypes.NamespaceNotFound
		if !errors.As(err, &got) {
			t.Fatalf("error %T %v is not NamespaceNotFound", err, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
		assertStatus(t, err, http.StatusNotFound)
	})
	t.Run("Cloud Map NamespaceAlreadyExists extra members", func(t *testing.T) {
		want := &sdtypes.NamespaceAlreadyExists{Message: aws.String("exists"), CreatorRequestId: aws.String("req-1"), NamespaceId: aws.String("ns-1")}
		err := callCloudMapWithError(t, want)
		var got *sdtypes.NamespaceAlreadyExists
		if !errors.As(err, &got) {
			t.Fatalf("error %T %v is not NamespaceAlreadyExists", err, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
		assertStatus(t, err, http.StatusBadRequest)
	})
}

func callECSWithError(t *testing.T, reply error) error {
	t.Helper()
	srv := httptest.NewServer(newFakeServer(t, LowerFirst, DefaultStatus, "DescribeClusters", &ecs.DescribeClustersInput{}, reply))
	defer srv.Close()
	_, err := ecsClient(srv.URL).DescribeClusters(context.Background(), &ecs.DescribeClustersInput{Clusters: []string{"x"}})
	if err == nil {
		t.Fatal("expected an error")
	}
	return err
}

// callCloudMapWithError uses an operation that models the error: the
// Cloud Map client only maps codes its operation declares, anything else
// becomes a smithy.GenericAPIError.
func callCloudMapWithError(t *testing.T, reply error) error {
	t.Helper()
	ctx := context.Background()
	if _, ok := reply.(*sdtypes.NamespaceAlreadyExists); ok {
		srv := httptest.NewServer(newFakeServer(t, AsIs, CloudMapStatus, "CreateHttpNamespace", &sd.CreateHttpNamespaceInput{}, reply))
		defer srv.Close()
		_, err := cloudMapClient(srv.URL).CreateHttpNamespace(ctx, &sd.CreateHttpNamespaceInput{Name: aws.String("n")})
		return requireError(t, err)
	}
	srv := httptest.NewServer(newFakeServer(t, AsIs, CloudMapStatus, "GetNamespace", &sd.GetNamespaceInput{}, reply))
	defer srv.Close()
	_, err := cloudMapClient(srv.URL).GetNamespace(ctx, &sd.GetNamespaceInput{Id: aws.String("ns-x")})
	return requireError(t, err)
}

func requireError(t *testing.T, err error) error {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error")
	}
	return err
}

func assertStatus(t *testing.T, err error, want int) {
	t.Helper()
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("error %T has no HTTP response", err)
	}
	if got := re.HTTPStatusCode(); got != want {
		t.Errorf("HTTP status = %d, want %d", got, want)
	}
}

func registerTaskDefinitionInput() *ecs.RegisterTaskDefinitionInput {
	return &ecs.RegisterTaskDefinitionInput{
		Family:                  aws.String("web"),
		ContainerDefinitions:    []ecstypes.ContainerDefinition{richContainer(), {Name: aws.String("init"), Image: aws.String("busybox"), Essential: aws.Bool(false)}},
		Cpu:                     aws.String("512"),
		Memory:                  aws.String("1024"),
		NetworkMode:             ecstypes.NetworkModeAwsvpc,
		RequiresCompatibilities: []ecstypes.Compatibility{ecstypes.CompatibilityFargate},
		ExecutionRoleArn:        aws.String("arn:aws:iam::000000000000:role/exec"),
		Tags:                    []ecstypes.Tag{{Key: aws.String("env"), Value: aws.String("dev")}},
	}
}

func createServiceInput() *ecs.CreateServiceInput {
	return &ecs.CreateServiceInput{
		ServiceName:    aws.String("web"),
		Cluster:        aws.String("demo"),
		TaskDefinition: aws.String("web:3"),
		DesiredCount:   aws.Int32(2),
		LaunchType:     ecstypes.LaunchTypeFargate,
		ClientToken:    aws.String("token-1"),
		DeploymentConfiguration: &ecstypes.DeploymentConfiguration{
			MaximumPercent:           aws.Int32(200),
			MinimumHealthyPercent:    aws.Int32(100),
			DeploymentCircuitBreaker: &ecstypes.DeploymentCircuitBreaker{Enable: true, Rollback: true},
			Alarms:                   &ecstypes.DeploymentAlarms{AlarmNames: []string{"cpu-high"}, Enable: false, Rollback: true},
			LifecycleHooks: []ecstypes.DeploymentLifecycleHook{{
				HookTargetArn:   aws.String("arn:aws:lambda:us-east-1:000000000000:function:hook"),
				RoleArn:         aws.String("arn:aws:iam::000000000000:role/hook"),
				LifecycleStages: []ecstypes.DeploymentLifecycleHookStage{ecstypes.DeploymentLifecycleHookStagePostScaleUp},
				HookDetails:     ecsdocument.NewLazyDocument(map[string]any{"mode": "strict", "checks": []any{"a", "b"}, "on": true}),
			}},
		},
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{
			Subnets:        []string{"subnet-1", "subnet-2"},
			SecurityGroups: []string{"sg-1"},
			AssignPublicIp: ecstypes.AssignPublicIpEnabled,
		}},
		LoadBalancers: []ecstypes.LoadBalancer{{
			TargetGroupArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/73e2d6bc24d8a067"),
			ContainerName:  aws.String("web"),
			ContainerPort:  aws.Int32(80),
		}},
		ServiceRegistries: []ecstypes.ServiceRegistry{{
			RegistryArn:   aws.String("arn:aws:servicediscovery:us-east-1:000000000000:service/srv-1"),
			ContainerName: aws.String("web"),
			ContainerPort: aws.Int32(80),
		}},
		HealthCheckGracePeriodSeconds: aws.Int32(30),
		EnableExecuteCommand:          true,
		PropagateTags:                 ecstypes.PropagateTagsService,
	}
}

func createPrivateDnsNamespaceInput() *sd.CreatePrivateDnsNamespaceInput {
	return &sd.CreatePrivateDnsNamespaceInput{
		Name:             aws.String("internal.local"),
		Vpc:              aws.String("vpc-1"),
		CreatorRequestId: aws.String("req-1"),
		Description:      aws.String("demo"),
		Properties: &sdtypes.PrivateDnsNamespaceProperties{DnsProperties: &sdtypes.PrivateDnsPropertiesMutable{
			SOA: &sdtypes.SOA{TTL: aws.Int64(60)},
		}},
		Tags: []sdtypes.Tag{{Key: aws.String("env"), Value: aws.String("dev")}},
	}
}
