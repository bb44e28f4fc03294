package app_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2sdk "github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/runtime"
	"github.com/localaws/ecsemu/internal/testutil/dockertest"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// postReset calls the reset endpoint and returns its status and body.
func postReset(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", nil)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	var doc map[string]string
	_ = json.NewDecoder(resp.Body).Decode(&doc)
	return resp.StatusCode, doc["status"] + doc["error"]
}

// A reset between two tests leaves no cluster, task container, listener,
// DNS name, stack, parameter or bucket behind, while the bootstrap
// parameter and bucket and the default VPC are there again.
func TestResetLeavesNothingBehind(t *testing.T) {
	image := dockertest.TestAppImage(t)
	e := emulatortest.Start(t, emulatortest.Options{Docker: true})
	ctx := t.Context()
	cfg := e.Config("us-east-1")
	url := aws.String(e.URL)
	c := clientsOf(e, "us-east-1")
	ecsC := e.ECS()
	elbC := elb.NewFromConfig(cfg, func(o *elb.Options) { o.BaseEndpoint = url })
	cm := e.CloudMap()
	ec2C := ec2sdk.NewFromConfig(cfg, func(o *ec2sdk.Options) { o.BaseEndpoint = url })
	vpc, subnets, _ := ec2.DefaultVPCIDs("000000000000", "us-east-1")

	// A service of one task, a load balancer with a listener, a Cloud Map
	// name, a stack, a parameter, a bucket, a VPC.
	must(t, "CreateCluster", func() error { _, err := ecsC.CreateCluster(ctx, &ecs.CreateClusterInput{}); return err })
	td := register(t, ctx, ecsC, "web", types.ContainerDefinition{Name: aws.String("web"), Image: aws.String(image), PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}}})
	must(t, "CreateService", func() error {
		_, err := ecsC.CreateService(ctx, &ecs.CreateServiceInput{ServiceName: aws.String("web"), TaskDefinition: aws.String(td), DesiredCount: aws.Int32(1),
			NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{Subnets: subnets[:1]}}})
		return err
	})
	lb, err := elbC.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("reset-alb"), Subnets: subnets[:2]})
	must(t, "CreateLoadBalancer", func() error { return err })
	lbARN := lb.LoadBalancers[0].LoadBalancerArn
	tg, err := elbC.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("reset-tg"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(8080), VpcId: aws.String(vpc), TargetType: elbtypes.TargetTypeEnumIp})
	must(t, "CreateTargetGroup", func() error { return err })
	_, err = elbC.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lbARN, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumForward, TargetGroupArn: tg.TargetGroups[0].TargetGroupArn}}})
	must(t, "CreateListener", func() error { return err })
	listener := net.JoinHostPort(e.App.LoadBalancerAddress(aws.ToString(lbARN)), "80")
	createWorkerRegistry(t, ctx, cm)
	must(t, "PutParameter", func() error {
		_, err := c.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/x"), Value: aws.String("1"), Type: "String"})
		return err
	})
	must(t, "CreateBucket", func() error {
		_, err := c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("reset-bucket")})
		return err
	})
	must(t, "CreateVpc", func() error {
		_, err := ec2C.CreateVpc(ctx, &ec2sdk.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
		return err
	})
	for deadline := time.Now().Add(60 * time.Second); len(scopeContainers(t, e)) == 0; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the service's task container never appeared")
		}
	}
	if conn, err := net.DialTimeout("tcp", listener, time.Second); err != nil {
		t.Fatalf("the listener %s is not up before the reset: %v", listener, err)
	} else {
		conn.Close()
	}

	start := time.Now()
	if code, body := postReset(t, e.URL+"/_emulator/reset"); code != 200 || body != "ok" {
		t.Fatalf("reset: %d %s", code, body)
	}
	t.Logf("reset with one task container took %v", time.Since(start).Round(time.Millisecond))

	clusters, err := ecsC.ListClusters(ctx, &ecs.ListClustersInput{})
	if err != nil || len(clusters.ClusterArns) != 0 {
		t.Errorf("clusters after the reset: %v %v", clusters, err)
	}
	if left := scopeContainers(t, e); len(left) != 0 {
		t.Errorf("%d task containers left after the reset", len(left))
	}
	if conn, err := net.DialTimeout("tcp", listener, time.Second); err == nil {
		conn.Close()
		t.Errorf("the listener %s still accepts connections after the reset", listener)
	}
	if ips := lookupA(t, e.DNSAddr); len(ips) != 0 {
		t.Errorf("worker.internal.svc still resolves after the reset: %v", ips)
	}
	if ns, err := cm.ListNamespaces(ctx, &servicediscovery.ListNamespacesInput{}); err != nil || len(ns.Namespaces) != 0 {
		t.Errorf("namespaces after the reset: %v %v", ns, err)
	}
	lbs, err := elbC.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{})
	if err != nil || len(lbs.LoadBalancers) != 0 {
		t.Errorf("load balancers after the reset: %v %v", lbs, err)
	}
	if _, err := c.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/x")}); errorCode(err) != "ParameterNotFound" {
		t.Errorf("the parameter after the reset: %v", err)
	}
	if _, err := c.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/cdk-bootstrap/hnb659fds/version")}); err != nil {
		t.Errorf("the bootstrap parameter after the reset: %v", err)
	}
	buckets, err := c.s3.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatalf("ListBuckets: %v", err)
	}
	for _, b := range buckets.Buckets {
		if aws.ToString(b.Name) == "reset-bucket" {
			t.Errorf("the bucket survived the reset")
		}
	}
	vpcs, err := ec2C.DescribeVpcs(ctx, &ec2sdk.DescribeVpcsInput{})
	if err != nil || len(vpcs.Vpcs) != 1 || aws.ToString(vpcs.Vpcs[0].VpcId) != vpc {
		t.Errorf("VPCs after the reset (want only the default %s): %+v %v", vpc, vpcs, err)
	}

	// The emulator works as before: a new load balancer gets the first
	// address again, and moto's path resets too, in well under a second.
	must(t, "CreateCluster after the reset", func() error { _, err := ecsC.CreateCluster(ctx, &ecs.CreateClusterInput{}); return err })
	start = time.Now()
	if code, body := postReset(t, e.URL+"/moto-api/reset"); code != 200 || body != "ok" {
		t.Fatalf("moto reset: %d %s", code, body)
	}
	t.Logf("reset without containers took %v", time.Since(start).Round(time.Millisecond))
	if clusters, _ := ecsC.ListClusters(ctx, &ecs.ListClustersInput{}); len(clusters.ClusterArns) != 0 {
		t.Errorf("clusters after the moto reset: %v", clusters.ClusterArns)
	}
}

// scopeContainers lists the containers of this emulator's task network.
func scopeContainers(t *testing.T, e *emulatortest.Emulator) []runtime.ContainerState {
	t.Helper()
	list, err := e.Runtime.ListContainers(context.Background())
	if err != nil {
		t.Fatalf("ListContainers: %v", err)
	}
	var out []runtime.ContainerState
	for _, c := range list {
		if c.Labels[runtime.LabelScope] == e.Network {
			out = append(out, c)
		}
	}
	return out
}

// Resetting one service leaves the others alone; an unknown one is a 400.
func TestResetOneService(t *testing.T) {
	e := emulatortest.Start(t, emulatortest.Options{})
	ctx := t.Context()
	c := clientsOf(e, "us-east-1")
	must(t, "CreateCluster", func() error { _, err := e.ECS().CreateCluster(ctx, &ecs.CreateClusterInput{}); return err })
	must(t, "PutParameter", func() error {
		_, err := c.ssm.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String("/app/x"), Value: aws.String("1"), Type: "String"})
		return err
	})
	if code, body := postReset(t, e.URL+"/_emulator/reset?service=ssm"); code != 200 {
		t.Fatalf("reset ssm: %d %s", code, body)
	}
	if _, err := c.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/app/x")}); errorCode(err) != "ParameterNotFound" {
		t.Errorf("the parameter after resetting ssm: %v", err)
	}
	if clusters, _ := e.ECS().ListClusters(ctx, &ecs.ListClustersInput{}); len(clusters.ClusterArns) != 1 {
		t.Errorf("resetting ssm touched ECS: %v", clusters.ClusterArns)
	}
	if code, body := postReset(t, e.URL+"/_emulator/reset?service=ecs,nope"); code != 400 || !strings.Contains(body, `"nope"`) {
		t.Errorf("reset of an unknown service: %d %s", code, body)
	}
	if clusters, _ := e.ECS().ListClusters(ctx, &ecs.ListClustersInput{}); len(clusters.ClusterArns) != 1 {
		t.Errorf("a refused reset changed state: %v", clusters.ClusterArns)
	}
}
