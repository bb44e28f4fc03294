package ec2_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

func TestInstances(t *testing.T) {
	e := newEnv(t)
	_, subnets, sg := defaultVPC()
	must(e.c.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("ops"), KeyType: types.KeyTypeEd25519}))(t)
	run := must(e.c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-0123456789abcdef0"), MinCount: aws.Int32(2), MaxCount: aws.Int32(2),
		InstanceType: types.InstanceTypeT3Micro, KeyName: aws.String("ops"), TagSpecifications: tagSpec(types.ResourceTypeInstance, "Name", "worker")}))(t)
	if len(run.Instances) != 2 || !strings.HasPrefix(*run.ReservationId, "r-") {
		t.Fatalf("RunInstances = %+v", run)
	}
	i0 := run.Instances[0]
	if i0.State.Name != types.InstanceStateNamePending || *i0.SubnetId != subnets[0] || *i0.SecurityGroups[0].GroupId != sg ||
		!strings.HasSuffix(*i0.PrivateDnsName, ".ec2.internal") || i0.PublicIpAddress == nil || len(*i0.InstanceId) != len("i-")+17 {
		t.Fatalf("instance = %+v", i0)
	}
	id := *i0.InstanceId
	e.clock.Advance(time.Second)
	res := must(e.c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{filter("tag:Name", "worker"), filter("instance-state-name", "running")}}))(t).Reservations
	if len(res) != 1 || len(res[0].Instances) != 2 {
		t.Fatalf("running instances = %+v", res)
	}
	byIP := must(e.c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []types.Filter{filter("private-ip-address", *i0.PrivateIpAddress)}}))(t).Reservations
	if len(byIP) != 1 || *byIP[0].Instances[0].InstanceId != id {
		t.Fatalf("instance by IP = %+v", byIP)
	}
	status := must(e.c.DescribeInstanceStatus(ctx, &ec2.DescribeInstanceStatusInput{InstanceIds: []string{id}}))(t).InstanceStatuses
	if len(status) != 1 || status[0].InstanceStatus.Status != types.SummaryStatusOk {
		t.Fatalf("status = %+v", status)
	}
	must(e.c.RebootInstances(ctx, &ec2.RebootInstancesInput{InstanceIds: []string{id}}))(t)
	stop := must(e.c.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{id}}))(t).StoppingInstances[0]
	if stop.PreviousState.Name != types.InstanceStateNameRunning || stop.CurrentState.Name != types.InstanceStateNameStopping {
		t.Fatalf("stop = %+v", stop)
	}
	e.clock.Advance(time.Second)
	if st := must(e.c.DescribeInstanceStatus(ctx, &ec2.DescribeInstanceStatusInput{InstanceIds: []string{id}}))(t).InstanceStatuses; len(st) != 0 {
		t.Fatalf("a stopped instance without IncludeAllInstances: %+v", st)
	}
	st := must(e.c.DescribeInstanceStatus(ctx, &ec2.DescribeInstanceStatusInput{InstanceIds: []string{id}, IncludeAllInstances: aws.Bool(true)}))(t).InstanceStatuses
	if st[0].InstanceState.Name != types.InstanceStateNameStopped || *st[0].InstanceState.Code != 80 {
		t.Fatalf("stopped status = %+v", st)
	}
	start := must(e.c.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}}))(t).StartingInstances[0]
	if start.CurrentState.Name != types.InstanceStateNamePending {
		t.Fatalf("start = %+v", start)
	}
	term := must(e.c.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{id}}))(t).TerminatingInstances[0]
	if term.CurrentState.Name != types.InstanceStateNameShuttingDown {
		t.Fatalf("terminate = %+v", term)
	}
	e.clock.Advance(time.Second)
	gone := must(e.c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}}))(t).Reservations[0].Instances[0]
	if gone.State.Name != types.InstanceStateNameTerminated {
		t.Fatalf("state after terminate = %s", gone.State.Name)
	}
	ifaces := must(e.c.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{filter("attachment.instance-id", id)}}))(t).NetworkInterfaces
	if len(ifaces) != 0 {
		t.Fatalf("a terminated instance kept its interface: %+v", ifaces)
	}
	_, err := e.c.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: []string{id}})
	wantErr(t, err, "IncorrectInstanceState", "is not in a state from which it can be started")
}

func TestInstanceErrors(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name       string
		call       func() error
		code, part string
	}{
		{"too many", func() error {
			_, err := e.c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-1"), MinCount: aws.Int32(101), MaxCount: aws.Int32(101)})
			return err
		}, "InstanceLimitExceeded", "101"},
		{"min above max", func() error {
			_, err := e.c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-1"), MinCount: aws.Int32(3), MaxCount: aws.Int32(2)})
			return err
		}, "InvalidParameterValue", "minCount"},
		{"malformed image", func() error {
			_, err := e.c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("image"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
			return err
		}, "InvalidAMIID.Malformed", "image"},
		{"unknown key", func() error {
			_, err := e.c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-1"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), KeyName: aws.String("nope")})
			return err
		}, "InvalidKeyPair.NotFound", "The key pair 'nope' does not exist"},
		{"unknown subnet", func() error {
			_, err := e.c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-1"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: aws.String("subnet-1")})
			return err
		}, "InvalidSubnetID.NotFound", "subnet-1"},
		{"unknown instance", func() error {
			_, err := e.c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{"i-1"}})
			return err
		}, "InvalidInstanceID.NotFound", "The instance ID 'i-1' does not exist"},
		{"malformed instance", func() error {
			_, err := e.c.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: []string{"vpc-1"}})
			return err
		}, "InvalidInstanceID.Malformed", "vpc-1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, c.call(), c.code, c.part) })
	}
	// MaxCount above the limit is cut to it.
	run := must(e.c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-1"), MinCount: aws.Int32(1), MaxCount: aws.Int32(500)}))(t)
	if len(run.Instances) != 100 {
		t.Fatalf("%d instances, want 100", len(run.Instances))
	}
}

func TestKeyPairs(t *testing.T) {
	e := newEnv(t)
	k := must(e.c.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("deploy"), TagSpecifications: tagSpec(types.ResourceTypeKeyPair, "team", "ops")}))(t)
	if !strings.Contains(*k.KeyMaterial, "BEGIN RSA PRIVATE KEY") || strings.Count(*k.KeyFingerprint, ":") != 19 || !strings.HasPrefix(*k.KeyPairId, "key-") {
		t.Fatalf("CreateKeyPair = %+v", k)
	}
	_, err := e.c.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String("deploy")})
	wantErr(t, err, "InvalidKeyPair.Duplicate", "The keypair 'deploy' already exists.")
	got := must(e.c.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{Filters: []types.Filter{filter("tag:team", "ops")}}))(t).KeyPairs
	if len(got) != 1 || *got[0].KeyFingerprint != *k.KeyFingerprint || got[0].KeyType != types.KeyTypeRsa {
		t.Fatalf("DescribeKeyPairs = %+v", got)
	}
	must(e.c.DeleteKeyPair(ctx, &ec2.DeleteKeyPairInput{KeyPairId: k.KeyPairId}))(t)
	must(e.c.DeleteKeyPair(ctx, &ec2.DeleteKeyPairInput{KeyName: aws.String("deploy")}))(t)
	_, err = e.c.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{"deploy"}})
	wantErr(t, err, "InvalidKeyPair.NotFound", "The key pair 'deploy' does not exist")
}

func TestReferenceData(t *testing.T) {
	e := newEnv(t)
	imgs := must(e.c.DescribeImages(ctx, &ec2.DescribeImagesInput{Owners: []string{"amazon"}, Filters: []types.Filter{filter("name", "al2023-ami-*-x86_64")}}))(t).Images
	if len(imgs) != 1 || !strings.HasPrefix(*imgs[0].ImageId, "ami-") {
		t.Fatalf("images = %+v", imgs)
	}
	_, err := e.c.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{"ami-12345678"}})
	wantErr(t, err, "InvalidAMIID.NotFound", "ami-12345678")
	pls := must(e.c.DescribePrefixLists(ctx, &ec2.DescribePrefixListsInput{Filters: []types.Filter{filter("prefix-list-name", "com.amazonaws.us-east-1.s3")}}))(t).PrefixLists
	if len(pls) != 1 || *pls[0].PrefixListId != "pl-63a5400a" || len(pls[0].Cidrs) == 0 {
		t.Fatalf("prefix lists = %+v", pls)
	}
	managed := must(e.c.DescribeManagedPrefixLists(ctx, &ec2.DescribeManagedPrefixListsInput{}))(t).PrefixLists
	if len(managed) != 2 || *managed[0].OwnerId != "AWS" {
		t.Fatalf("managed prefix lists = %+v", managed)
	}
	_, err = e.c.DescribePrefixLists(ctx, &ec2.DescribePrefixListsInput{PrefixListIds: []string{"pl-1"}})
	wantErr(t, err, "InvalidPrefixListID.NotFound", "pl-1")
	vgws := must(e.c.DescribeVpnGateways(ctx, &ec2.DescribeVpnGatewaysInput{Filters: []types.Filter{filter("attachment.vpc-id", "vpc-1")}}))(t)
	if len(vgws.VpnGateways) != 0 {
		t.Fatalf("VPN gateways = %+v", vgws.VpnGateways)
	}
	_, err = e.c.DescribeVpnGateways(ctx, &ec2.DescribeVpnGatewaysInput{VpnGatewayIds: []string{"vgw-1"}})
	wantErr(t, err, "InvalidVpnGatewayID.NotFound", "The vpnGateway ID 'vgw-1' does not exist")
}

func TestTags(t *testing.T) {
	e := newEnv(t)
	vpc := e.newVpc(t, "10.0.0.0/16")
	sg := e.newGroup(t, vpc, "app")
	must(e.c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{vpc, sg}, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}, {Key: aws.String("owner"), Value: aws.String("")}}}))(t)
	tags := must(e.c.DescribeTags(ctx, &ec2.DescribeTagsInput{Filters: []types.Filter{filter("key", "env")}}))(t).Tags
	if len(tags) != 2 || tags[0].ResourceType != types.ResourceTypeVpc || tags[1].ResourceType != types.ResourceTypeSecurityGroup {
		t.Fatalf("tags = %+v", tags)
	}
	// A value given must match; a key alone deletes whatever the value.
	must(e.c.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{vpc}, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}))(t)
	must(e.c.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{sg}, Tags: []types.Tag{{Key: aws.String("env")}}}))(t)
	left := must(e.c.DescribeTags(ctx, &ec2.DescribeTagsInput{Filters: []types.Filter{filter("key", "env")}}))(t).Tags
	if len(left) != 1 || *left[0].ResourceId != vpc {
		t.Fatalf("tags left = %+v", left)
	}
	cases := []struct {
		name       string
		call       func() error
		code, part string
	}{
		{"unknown resource", func() error {
			_, err := e.c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{"vpc-00000000000000000"}, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}})
			return err
		}, "InvalidVpcID.NotFound", "vpc-00000000000000000"},
		{"not an ID", func() error {
			_, err := e.c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{"bogus"}, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}})
			return err
		}, "InvalidID", "The ID 'bogus' is not valid"},
		{"reserved key", func() error {
			_, err := e.c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{vpc}, Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("b")}}})
			return err
		}, "InvalidParameterValue", "aws:"},
		{"wrong tag spec type", func() error {
			_, err := e.c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.9.0.0/16"), TagSpecifications: tagSpec(types.ResourceTypeSubnet, "a", "b")})
			return err
		}, "InvalidParameterValue", "'subnet' is not a valid taggable resource type"},
		{"too many", func() error {
			var many []types.Tag
			for i := range 51 {
				many = append(many, types.Tag{Key: aws.String(strings.Repeat("k", i+1)), Value: aws.String("v")})
			}
			_, err := e.c.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{vpc}, Tags: many})
			return err
		}, "TagLimitExceeded", "maximum number of Tags"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, c.call(), c.code, c.part) })
	}
}
