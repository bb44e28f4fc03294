package app_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// halfSent opens n connections from src to addr, each sending a request
// whose body stops after a few bytes, and reports how many the server
// closed within wait, and how many it refused at once.
func halfSent(t *testing.T, src, addr string, n int, header string, wait time.Duration) (closed, refused int) {
	t.Helper()
	var c, r atomic.Int64
	var wg sync.WaitGroup
	for range n {
		conn, err := (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(src)}, Timeout: 2 * time.Second}).Dial("tcp", addr)
		if err != nil {
			t.Fatalf("dial %s from %s: %v", addr, src, err)
		}
		t.Cleanup(func() { conn.Close() })
		_, werr := io.WriteString(conn, "POST / HTTP/1.1\r\nHost: x\r\n"+header+"Content-Length: 1000\r\n\r\n{\"half")
		wg.Go(func() {
			start := time.Now()
			_ = conn.SetReadDeadline(start.Add(wait))
			_, err := io.Copy(io.Discard, conn) // until the server closes (nil) or the deadline
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				return
			}
			if werr != nil || time.Since(start) < 100*time.Millisecond {
				r.Add(1)
			}
			c.Add(1)
		})
	}
	wg.Wait()
	return int(c.Load()), int(r.Load())
}

// Many half-sent request bodies from one client: the endpoint refuses the
// ones over the per-client cap at once, closes the rest once they have
// been idle for the idle timeout, and serves another client meanwhile.
func TestEndpointClosesHalfSentBodies(t *testing.T) {
	const idle = time.Second
	e := emulatortest.Start(t, emulatortest.Options{HTTPIdleTimeout: idle})
	addr := strings.TrimPrefix(e.URL, "http://")
	done := make(chan struct{})
	var served atomic.Int64
	go func() { // another client, served all along
		defer close(done)
		c := e.ECS()
		for i := 0; i < 20; i++ {
			if _, err := c.ListClusters(t.Context(), &ecs.ListClustersInput{}); err != nil {
				t.Errorf("another client's call %d: %v", i, err)
				return
			}
			served.Add(1)
			time.Sleep(50 * time.Millisecond)
		}
	}()
	start := time.Now()
	closed, refused := halfSent(t, "127.0.0.2", addr, 300, "X-Amz-Target: AmazonEC2ContainerServiceV20141113.ListClusters\r\nContent-Type: application/x-amz-json-1.1\r\n", 10*time.Second)
	<-done
	t.Logf("300 half-sent bodies: %d closed (%d refused at once) in %v; the other client made %d calls", closed, refused, time.Since(start).Round(10*time.Millisecond), served.Load())
	if closed != 300 {
		t.Errorf("%d of 300 half-sent connections closed within 10 s; want all (idle timeout %v)", closed, idle)
	}
	if refused < 300-256 {
		t.Errorf("%d refused at once; one client may hold 256", refused)
	}
	if served.Load() != 20 {
		t.Errorf("the other client made %d of 20 calls", served.Load())
	}
}

// An ALB listener applies its load balancer's idle timeout
// (idle_timeout.timeout_seconds) to a request body that stops arriving.
func TestALBIdleTimeoutClosesHalfSentBodies(t *testing.T) {
	e := emulatortest.Start(t, emulatortest.Options{})
	ctx := t.Context()
	c := elb.NewFromConfig(e.Config("us-east-1"), func(o *elb.Options) { o.BaseEndpoint = aws.String(e.URL) })
	lb, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("idle-alb"), Subnets: defaultSubnets[:2]})
	must(t, "CreateLoadBalancer", func() error { return err })
	lbARN := lb.LoadBalancers[0].LoadBalancerArn
	attrs, err := c.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerArn: lbARN})
	must(t, "DescribeLoadBalancerAttributes", func() error { return err })
	for _, a := range attrs.Attributes {
		if aws.ToString(a.Key) == "idle_timeout.timeout_seconds" && aws.ToString(a.Value) != "60" {
			t.Errorf("idle_timeout.timeout_seconds defaults to %s, want 60", aws.ToString(a.Value))
		}
	}
	_, err = c.CreateListener(ctx, &elb.CreateListenerInput{LoadBalancerArn: lbARN, Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(18080),
		DefaultActions: []elbtypes.Action{{Type: elbtypes.ActionTypeEnumFixedResponse, FixedResponseConfig: &elbtypes.FixedResponseActionConfig{StatusCode: aws.String("200"), MessageBody: aws.String("hello")}}}})
	must(t, "CreateListener", func() error { return err })
	addr := fmt.Sprintf("%s:18080", e.App.LoadBalancerAddress(aws.ToString(lbARN)))
	url := "http://" + addr + "/"
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("listener %s never answered", url)
		}
	}
	// The listener exists: a lower idle timeout applies to its request
	// bodies from the next snapshot on.
	_, err = c.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lbARN,
		Attributes: []elbtypes.LoadBalancerAttribute{{Key: aws.String("idle_timeout.timeout_seconds"), Value: aws.String("1")}}})
	must(t, "ModifyLoadBalancerAttributes", func() error { return err })
	for deadline := time.Now().Add(15 * time.Second); ; {
		if c, _ := halfSent(t, "127.0.0.3", addr, 1, "", 3*time.Second); c == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a half-sent body was not cut within 3 s of the idle timeout becoming 1 s")
		}
	}
	start := time.Now()
	closed, _ := halfSent(t, "127.0.0.2", addr, 50, "", 8*time.Second)
	took := time.Since(start)
	if closed != 50 {
		t.Errorf("%d of 50 half-sent connections closed within 8 s; the idle timeout is 1 s", closed)
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("a normal request after: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "hello" {
		t.Errorf("a normal request got %q", body)
	}
	t.Logf("50 half-sent bodies closed in %v", took.Round(10*time.Millisecond))
}
