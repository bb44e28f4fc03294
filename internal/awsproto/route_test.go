package awsproto

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// testRouter serves the three services of the first release, as the
// server's table does.
var testRouter = NewRouter([]ServiceSpec{
	{Name: "ecs", SigningName: "ecs", Protocol: ProtocolJSON, TargetPrefix: "AmazonEC2ContainerServiceV20141113"},
	{Name: "servicediscovery", SigningName: "servicediscovery", Protocol: ProtocolJSON, TargetPrefix: "Route53AutoNaming_v20170314"},
	{Name: "elbv2", SigningName: "elasticloadbalancing", Protocol: ProtocolQuery, APIVersion: "2015-12-01"},
	{Name: "ec2", SigningName: "ec2", Protocol: ProtocolEC2, APIVersion: "2016-11-15"},
	{Name: "s3", SigningName: "s3", Protocol: ProtocolREST},
})

func TestClassify(t *testing.T) {
	const (
		ecsAuth   = "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-west-2/ecs/aws4_request, SignedHeaders=host;x-amz-target, Signature=abc"
		elbAuth   = "AWS4-HMAC-SHA256 Credential=AKID/20250101/eu-west-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=abc"
		cmAuth    = "AWS4-HMAC-SHA256 Credential=AKID/20250101/ap-south-1/servicediscovery/aws4_request,SignedHeaders=host,Signature=abc"
		jsonCT    = "application/x-amz-json-1.1"
		formCT    = "application/x-www-form-urlencoded; charset=utf-8"
		elbv2Form = "Action=DescribeLoadBalancers&Version=2015-12-01"
	)
	tests := []struct {
		name    string
		method  string
		url     string
		host    string
		headers map[string]string
		body    string
		want    Route
		wantErr bool
	}{
		{
			name:    "ECS target",
			headers: map[string]string{"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.CreateCluster", "Content-Type": jsonCT, "Authorization": ecsAuth},
			body:    `{}`,
			want:    Route{Service: "ecs", Operation: "CreateCluster", Region: "us-west-2", Protocol: "json", Target: "AmazonEC2ContainerServiceV20141113"},
		},
		{
			name:    "Cloud Map target without auth uses default region",
			headers: map[string]string{"X-Amz-Target": "Route53AutoNaming_v20170314.ListNamespaces"},
			want:    Route{Service: "servicediscovery", Operation: "ListNamespaces", Region: "us-east-1", Protocol: "json", Target: "Route53AutoNaming_v20170314"},
		},
		{
			name:    "Cloud Map discovery on a data- host",
			host:    "data-localhost:4566",
			headers: map[string]string{"X-Amz-Target": "Route53AutoNaming_v20170314.DiscoverInstances", "Authorization": cmAuth},
			want:    Route{Service: "servicediscovery", Operation: "DiscoverInstances", Region: "ap-south-1", Protocol: "json", Target: "Route53AutoNaming_v20170314"},
		},
		{
			name:    "host never routes",
			host:    "ecs.us-east-1.amazonaws.com",
			headers: map[string]string{"X-Amz-Target": "Route53AutoNaming_v20170314.GetNamespace"},
			want:    Route{Service: "servicediscovery", Operation: "GetNamespace", Region: "us-east-1", Protocol: "json", Target: "Route53AutoNaming_v20170314"},
		},
		{
			name:    "unknown target prefix",
			headers: map[string]string{"X-Amz-Target": "DynamoDB_20120810.ListTables", "Authorization": ecsAuth},
			want:    Route{Service: "", Operation: "ListTables", Region: "us-west-2", Protocol: "json", Target: "DynamoDB_20120810"},
		},
		{
			name:    "target without a dot",
			headers: map[string]string{"X-Amz-Target": "CreateCluster"},
			want:    Route{Service: "", Operation: "", Region: "us-east-1", Protocol: "json", Target: "CreateCluster"},
		},
		{
			name:    "target wins over scope service",
			headers: map[string]string{"X-Amz-Target": "AmazonEC2ContainerServiceV20141113.ListClusters", "Authorization": elbAuth},
			want:    Route{Service: "ecs", Operation: "ListClusters", Region: "eu-west-1", Protocol: "json", Target: "AmazonEC2ContainerServiceV20141113"},
		},
		{
			name:    "ELBv2 form body with charset",
			headers: map[string]string{"Content-Type": formCT, "Authorization": elbAuth},
			body:    "Action=CreateTargetGroup&Version=2015-12-01&Name=web&Port=80",
			want:    Route{Service: "elbv2", Operation: "CreateTargetGroup", Region: "eu-west-1", Protocol: "query", Target: "2015-12-01"},
		},
		{
			name:    "ELBv2 form body, plain content type",
			headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			body:    elbv2Form,
			want:    Route{Service: "elbv2", Operation: "DescribeLoadBalancers", Region: "us-east-1", Protocol: "query", Target: "2015-12-01"},
		},
		{
			name:    "ELB classic is not ELBv2",
			headers: map[string]string{"Content-Type": formCT, "Authorization": elbAuth},
			body:    "Action=DescribeLoadBalancers&Version=2012-06-01",
			want:    Route{Service: "", Operation: "DescribeLoadBalancers", Region: "eu-west-1", Protocol: "query", Target: "2012-06-01"},
		},
		{
			name:   "GET query with presigned credential",
			method: http.MethodGet,
			url:    "/?Action=DescribeTargetHealth&Version=2015-12-01&X-Amz-Credential=AKID%2F20250101%2Fca-central-1%2Felasticloadbalancing%2Faws4_request",
			want:   Route{Service: "elbv2", Operation: "DescribeTargetHealth", Region: "ca-central-1", Protocol: "query", Target: "2015-12-01"},
		},
		{
			name:    "form body without Action falls back to the query string",
			url:     "/?" + elbv2Form,
			headers: map[string]string{"Content-Type": formCT},
			body:    "Name=web",
			want:    Route{Service: "elbv2", Operation: "DescribeLoadBalancers", Region: "us-east-1", Protocol: "query", Target: "2015-12-01"},
		},
		{
			name:    "malformed form keeps the pairs that parse",
			headers: map[string]string{"Content-Type": formCT},
			body:    "Action=DescribeListeners&Version=2015-12-01&Bad=%zz",
			want:    Route{Service: "elbv2", Operation: "DescribeListeners", Region: "us-east-1", Protocol: "query", Target: "2015-12-01"},
		},
		{
			name:    "scope service only: ecs",
			headers: map[string]string{"Authorization": ecsAuth, "Content-Type": jsonCT},
			body:    `{}`,
			want:    Route{Service: "ecs", Region: "us-west-2", Protocol: "json"},
		},
		{
			name:    "scope service only: servicediscovery",
			headers: map[string]string{"Authorization": cmAuth},
			want:    Route{Service: "servicediscovery", Region: "ap-south-1", Protocol: "json"},
		},
		{
			name:    "scope service only: elasticloadbalancing",
			headers: map[string]string{"Authorization": elbAuth, "Content-Type": formCT},
			body:    "Version=2015-12-01",
			want:    Route{Service: "elbv2", Region: "eu-west-1", Protocol: "query"},
		},
		{
			name:    "JSON body is never parsed as a form",
			headers: map[string]string{"Content-Type": jsonCT},
			body:    "Action=DescribeLoadBalancers&Version=2015-12-01",
			wantErr: true,
		},
		{
			name:    "malformed credential scope is ignored",
			headers: map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-west-2/ecs, Signature=x"},
			wantErr: true,
		},
		{
			name:    "unknown scope service is named",
			headers: map[string]string{"Authorization": "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-west-2/sns/aws4_request"},
			want:    Route{Service: "", Region: "us-west-2", Protocol: "json", SigningName: "sns"},
		},
		{
			name:    "ec2Query by version",
			headers: map[string]string{"Content-Type": formCT},
			body:    "Action=DescribeVpcs&Version=2016-11-15",
			want:    Route{Service: "ec2", Operation: "DescribeVpcs", Region: "us-east-1", Protocol: "ec2", Target: "2016-11-15"},
		},
		{
			name:    "nothing to route on",
			headers: map[string]string{"Content-Type": jsonCT},
			body:    `{}`,
			wantErr: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			method, url := tc.method, tc.url
			if method == "" {
				method = http.MethodPost
			}
			if url == "" {
				url = "/"
			}
			r := httptest.NewRequest(method, url, strings.NewReader(tc.body))
			if tc.host != "" {
				r.Host = tc.host
			}
			for k, v := range tc.headers {
				r.Header.Set(k, v)
			}
			got, err := testRouter.Classify(r, []byte(tc.body), "us-east-1")
			if tc.wantErr {
				if err == nil {
					t.Fatalf("want an error, got %+v", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.want.SigningName == "" {
				got.SigningName = ""
			}
			got.AccessKey = ""
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestClassifyAccessKeyAndSigningName(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(""))
	r.Header.Set("X-Amz-Target", "AmazonEC2ContainerServiceV20141113.ListClusters")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20250101/us-west-2/ecs/aws4_request, SignedHeaders=host, Signature=abc")
	got, err := testRouter.Classify(r, nil, "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessKey != "ASIAEXAMPLE" || got.SigningName != "ecs" {
		t.Errorf("access key %q, signing name %q", got.AccessKey, got.SigningName)
	}
}

func TestREST(t *testing.T) {
	s3Auth := "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abc"
	ecsAuth := "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/ecs/aws4_request, SignedHeaders=host, Signature=abc"
	tests := []struct {
		name, method, url, auth, target string
		want                            bool
	}{
		{"signed for s3", http.MethodPut, "/bucket/key", s3Auth, "", true},
		{"signed POST to / for s3 (DeleteObjects on a virtual host)", http.MethodPost, "/?delete", s3Auth, "", true},
		{"unsigned object read", http.MethodGet, "/bucket/key", "", "", true},
		{"signed for another service", http.MethodPost, "/", ecsAuth, "", false},
		{"unsigned query action", http.MethodGet, "/?Action=DescribeVpcs&Version=2016-11-15", "", "", false},
		{"unsigned POST to /", http.MethodPost, "/", "", "", false},
		{"JSON target", http.MethodPost, "/", "", "AmazonSSM.GetParameter", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.url, nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			if tc.target != "" {
				r.Header.Set("X-Amz-Target", tc.target)
			}
			spec, ok := testRouter.REST(r)
			if ok != tc.want || (ok && spec.Name != "s3") {
				t.Errorf("REST = %v, %v; want %v", spec.Name, ok, tc.want)
			}
		})
	}
}
