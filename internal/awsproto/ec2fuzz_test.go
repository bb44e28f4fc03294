package awsproto

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// ec2FuzzTarget is an EC2 operation whose input the fuzzer decodes into
// and the real SDK serializes again.
type ec2FuzzTarget struct {
	op    string
	seed  any // a realistic input, serialized by the SDK as a seed
	newIn func() any
	send  func(ctx context.Context, c *ec2.Client, in any) error
}

func ec2FuzzOp[I, O any](op string, m func(*ec2.Client, context.Context, *I, ...func(*ec2.Options)) (*O, error), seed *I) ec2FuzzTarget {
	return ec2FuzzTarget{
		op:    op,
		seed:  seed,
		newIn: func() any { return new(I) },
		send: func(ctx context.Context, c *ec2.Client, in any) error {
			_, err := m(c, ctx, in.(*I))
			return err
		},
	}
}

var ec2FuzzTargets = []ec2FuzzTarget{
	ec2FuzzOp("CreateVpc", (*ec2.Client).CreateVpc, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"),
		TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpc, Tags: ec2Tags("Name", "a", "b", "")}}}),
	ec2FuzzOp("DescribeVpcs", (*ec2.Client).DescribeVpcs, &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-1", "vpc-2"}, MaxResults: aws.Int32(5),
		Filters: []ec2types.Filter{{Name: aws.String("tag:Name"), Values: []string{"a", "b"}}, {Name: aws.String("vpc-id")}}}),
	ec2FuzzOp("AuthorizeSecurityGroupIngress", (*ec2.Client).AuthorizeSecurityGroupIngress, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: aws.String("sg-1"),
		IpPermissions: []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80),
			IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}, UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String("sg-2")}}}}}),
	ec2FuzzOp("RunInstances", (*ec2.Client).RunInstances, &ec2.RunInstancesInput{ImageId: aws.String("ami-1"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		InstanceType: ec2types.InstanceTypeT3Micro, DryRun: aws.Bool(true),
		NetworkInterfaces:   []ec2types.InstanceNetworkInterfaceSpecification{{DeviceIndex: aws.Int32(0), Groups: []string{"sg-1"}}},
		BlockDeviceMappings: []ec2types.BlockDeviceMapping{{DeviceName: aws.String("/dev/xvda"), Ebs: &ec2types.EbsBlockDevice{VolumeSize: aws.Int32(8)}}}}),
	ec2FuzzOp("CreateTags", (*ec2.Client).CreateTags, &ec2.CreateTagsInput{Resources: []string{"vpc-1"}, Tags: ec2Tags("k", "v")}),
	ec2FuzzOp("ModifySecurityGroupRules", (*ec2.Client).ModifySecurityGroupRules, &ec2.ModifySecurityGroupRulesInput{GroupId: aws.String("sg-1"),
		SecurityGroupRules: []ec2types.SecurityGroupRuleUpdate{{SecurityGroupRuleId: aws.String("sgr-1"), SecurityGroupRule: &ec2types.SecurityGroupRuleRequest{IpProtocol: aws.String("tcp")}}}}),
	ec2FuzzOp("ModifyVpcAttribute", (*ec2.Client).ModifyVpcAttribute, &ec2.ModifyVpcAttributeInput{VpcId: aws.String("vpc-1"), EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}),
	ec2FuzzOp("CreateVpcEndpoint", (*ec2.Client).CreateVpcEndpoint, &ec2.CreateVpcEndpointInput{VpcId: aws.String("vpc-1"), ServiceName: aws.String("s3"), RouteTableIds: []string{"rtb-1"}}),
	ec2FuzzOp("DescribeInstanceStatus", (*ec2.Client).DescribeInstanceStatus, &ec2.DescribeInstanceStatusInput{InstanceIds: []string{"i-1"}, IncludeAllInstances: aws.Bool(true)}),
}

// ec2CaptureDoer is an in-process HTTP client: it keeps the last request
// body and answers with an empty result of the operation, so the SDK's
// own serializer can be driven without a network.
type ec2CaptureDoer struct {
	mu   sync.Mutex
	body []byte
}

func (c *ec2CaptureDoer) Do(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	values, _ := url.ParseQuery(string(body))
	c.mu.Lock()
	c.body = body
	c.mu.Unlock()
	reply, err := EncodeEC2(values.Get("Action"), "fuzz", EC2Namespace, nil)
	if err != nil {
		return nil, err
	}
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": []string{ec2ContentType}},
		Body:       io.NopCloser(bytes.NewReader(reply)),
		Request:    r,
	}, nil
}

func (c *ec2CaptureDoer) last() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.body
}

func ec2CaptureClient(doer *ec2CaptureDoer) *ec2.Client {
	return ec2.NewFromConfig(testConfig(), func(o *ec2.Options) {
		o.BaseEndpoint = aws.String("http://ec2.fuzz")
		o.HTTPClient = doer
		o.APIOptions = append(o.APIOptions, withoutValidation)
	})
}

// FuzzDecodeEC2 checks that no parameter set makes DecodeEC2 panic or fail
// with anything but an InvalidParameterValue *EC2Error, and that whatever
// it accepts is canonical: serialized again by the real SDK and decoded
// once more, it is the same value.
func FuzzDecodeEC2(f *testing.F) {
	doer := &ec2CaptureDoer{}
	client := ec2CaptureClient(doer)
	for i, ft := range ec2FuzzTargets {
		if err := ft.send(context.Background(), client, ft.seed); err != nil {
			f.Fatalf("capturing the seed of %s: %v", ft.op, err)
		}
		f.Add(uint8(i), string(doer.last()))
	}
	for _, body := range []string{
		"", "VpcId=", "VpcId.1=", "VpcId.0=a", "VpcId.01=a&VpcId.1=b", "VpcId.+1=a", "MaxResults=abc", "MaxResults=+5",
		"DryRun=True", "DryRun=maybe", "Filter.1.Value.1=&Filter.2.Name=", "Filter.2.Name=b&Filter.1.Name=a",
		"IpPermissions.1.FromPort=99999999999", "IpPermissions.1.Groups.3.GroupId=x", "TagSpecification.1.Tag.1.Key=",
		"EnableDnsSupport.Value=false", "EnableDnsSupport=true", "a..b=1&.=2&VpcId.=3", "%zz=1",
	} {
		for i := range ec2FuzzTargets {
			f.Add(uint8(i), body)
		}
	}
	f.Fuzz(func(t *testing.T, target uint8, body string) {
		ft := ec2FuzzTargets[int(target)%len(ec2FuzzTargets)]
		values, _ := url.ParseQuery(body) // keeps the pairs that parse
		first, ok := fuzzDecodeEC2(t, ft, values)
		if !ok {
			return
		}
		pinClientToken(first)
		if err := ft.send(context.Background(), client, first); err != nil {
			t.Fatalf("SDK could not send %#v: %v", first, err)
		}
		wire := doer.last()
		again, err := url.ParseQuery(string(wire))
		if err != nil {
			t.Fatalf("SDK body %q does not parse: %v", wire, err)
		}
		second, ok := fuzzDecodeEC2(t, ft, again)
		if !ok {
			t.Fatalf("re-decoding the SDK body %s failed", wire)
		}
		if !reflect.DeepEqual(first, second) {
			t.Fatalf("not canonical for %q\nSDK sent %s\nfirst  %s\nsecond %s", body, wire, mustEncode(t, first, AsIs), mustEncode(t, second, AsIs))
		}
	})
}

// pinClientToken sets an idempotency token the SDK would otherwise invent
// (RunInstances, CreateVpcEndpoint), which would make the second decoding
// differ from the first.
func pinClientToken(in any) {
	f := reflect.ValueOf(in).Elem().FieldByName("ClientToken")
	if f.IsValid() && f.Kind() == reflect.Pointer && f.IsNil() {
		f.Set(reflect.ValueOf(aws.String("fuzz-token")))
	}
}

func fuzzDecodeEC2(t *testing.T, ft ec2FuzzTarget, values url.Values) (any, bool) {
	in := ft.newIn()
	err := DecodeEC2(values, in)
	var e *EC2Error
	if err != nil && (!errors.As(err, &e) || e.Code != "InvalidParameterValue") {
		t.Fatalf("DecodeEC2(%v) returned %T %v, want an InvalidParameterValue *EC2Error", values, err, err)
	}
	return in, err == nil
}
