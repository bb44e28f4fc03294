package app_test

import (
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/aws/smithy-go"

	"github.com/localaws/ecsemu/internal/testutil/dockertest"
	"github.com/localaws/ecsemu/internal/testutil/emulatortest"
)

// netClients are the SDK clients of one emulator that the network tests use.
type netClients struct {
	ecs *ecs.Client
	ec2 *ec2.Client
	elb *elb.Client
	sd  *servicediscovery.Client
}

func netClientsOf(e *emulatortest.Emulator) netClients {
	cfg := e.Config("us-east-1")
	return netClients{
		ecs: e.ECS(),
		ec2: ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(e.URL) }),
		elb: elb.NewFromConfig(cfg, func(o *elb.Options) { o.BaseEndpoint = aws.String(e.URL) }),
		sd:  e.CloudMap(),
	}
}

// wantAPIError checks an error's code and exact message.
func wantAPIError(t *testing.T, what string, err error, code, msg string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("%s: error %v, want %s", what, err, code)
	}
	if apiErr.ErrorCode() != code || apiErr.ErrorMessage() != msg {
		t.Errorf("%s:\n got %s: %s\nwant %s: %s", what, apiErr.ErrorCode(), apiErr.ErrorMessage(), code, msg)
	}
}

// ownVPC creates a VPC with a subnet in each of two zones and a security
// group, as a user's stack would.
func ownVPC(t *testing.T, c *ec2.Client, cidr string) (vpc string, subnets []string, sg string) {
	t.Helper()
	ctx := t.Context()
	v, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr + ".0.0/16")})
	if err != nil {
		t.Fatalf("CreateVpc: %v", err)
	}
	vpc = *v.Vpc.VpcId
	for i, zone := range []string{"us-east-1a", "us-east-1b"} {
		sn, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String(cidr + "." + string(rune('1'+i)) + ".0/24"), AvailabilityZone: aws.String(zone)})
		if err != nil {
			t.Fatalf("CreateSubnet: %v", err)
		}
		subnets = append(subnets, *sn.Subnet.SubnetId)
	}
	g, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: &vpc, GroupName: aws.String("app"), Description: aws.String("app")})
	if err != nil {
		t.Fatalf("CreateSecurityGroup: %v", err)
	}
	return vpc, subnets, *g.GroupId
}

// Every EC2 ID ECS, ELBv2 and Cloud Map are given is checked against EC2,
// with the errors AWS gives; real IDs are accepted.
func TestNetworkReferencesAreCheckedAgainstEC2(t *testing.T) {
	e := emulatortest.Start(t, emulatortest.Options{})
	c := netClientsOf(e)
	ctx := t.Context()
	vpc, subnets, sg := ownVPC(t, c.ec2, "10.7")
	// A second subnet in us-east-1a, for the one-zone check.
	sameZone, err := c.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String("10.7.9.0/24"), AvailabilityZone: aws.String("us-east-1a")})
	must(t, "CreateSubnet", func() error { return err })

	t.Run("ECS", func(t *testing.T) {
		must(t, "CreateCluster", func() error { _, err := c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{}); return err })
		td := register(t, ctx, c.ecs, "net", types.ContainerDefinition{Name: aws.String("app"), Image: aws.String("app:latest")})
		network := func(subnet, group string) *types.NetworkConfiguration {
			cfg := &types.AwsVpcConfiguration{Subnets: []string{subnet}}
			if group != "" {
				cfg.SecurityGroups = []string{group}
			}
			return &types.NetworkConfiguration{AwsvpcConfiguration: cfg}
		}
		const unknownSubnet, unknownGroup = "subnet-0000000000000dead", "sg-0000000000000dead"
		for _, tc := range []struct {
			name, subnet, group, msg string
		}{
			{"unknown subnet", unknownSubnet, "",
				"Error retrieving subnet information for [subnet-0000000000000dead]: The subnet ID 'subnet-0000000000000dead' does not exist (ErrorCode: InvalidSubnetID.NotFound)"},
			{"unknown security group", subnets[0], unknownGroup,
				"Error retrieving security group information for [sg-0000000000000dead]: The security group 'sg-0000000000000dead' does not exist (ErrorCode: InvalidGroup.NotFound)"},
		} {
			_, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{TaskDefinition: &td, LaunchType: types.LaunchTypeFargate, NetworkConfiguration: network(tc.subnet, tc.group)})
			wantAPIError(t, "RunTask with an "+tc.name, err, "InvalidParameterException", tc.msg)
			_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{ServiceName: aws.String("bad"), TaskDefinition: &td, DesiredCount: aws.Int32(0),
				LaunchType: types.LaunchTypeFargate, NetworkConfiguration: network(tc.subnet, tc.group)})
			wantAPIError(t, "CreateService with an "+tc.name, err, "InvalidParameterException", tc.msg)
		}
		// A group of the default VPC with a subnet of another VPC.
		_, err := c.ecs.RunTask(ctx, &ecs.RunTaskInput{TaskDefinition: &td, LaunchType: types.LaunchTypeFargate, NetworkConfiguration: network(subnets[0], defaultGroup)})
		var invalid *types.InvalidParameterException
		if !errors.As(err, &invalid) || !strings.Contains(aws.ToString(invalid.Message), "belong to different networks") {
			t.Errorf("RunTask with a group of another VPC: %v", err)
		}
		_, err = c.ecs.CreateService(ctx, &ecs.CreateServiceInput{ServiceName: aws.String("good"), TaskDefinition: &td, DesiredCount: aws.Int32(0),
			LaunchType: types.LaunchTypeFargate, NetworkConfiguration: network(subnets[1], sg)})
		must(t, "CreateService in a real subnet", func() error { return err })
		_, err = c.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Service: aws.String("good"), NetworkConfiguration: network(unknownSubnet, "")})
		wantAPIError(t, "UpdateService to an unknown subnet", err, "InvalidParameterException",
			"Error retrieving subnet information for [subnet-0000000000000dead]: The subnet ID 'subnet-0000000000000dead' does not exist (ErrorCode: InvalidSubnetID.NotFound)")
	})

	t.Run("ELBv2", func(t *testing.T) {
		create := func(subnets ...string) error {
			_, err := c.elb.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("bad"), Subnets: subnets})
			return err
		}
		wantAPIError(t, "an ALB over two VPCs", create(subnets[0], defaultSubnets[1]), "InvalidConfigurationRequest",
			"Subnets must all be in the same VPC ('"+subnets[0]+"' is in "+vpc+", '"+defaultSubnets[1]+"' in "+defaultVpc+")")
		wantAPIError(t, "an ALB with two subnets in one zone", create(subnets[0], *sameZone.Subnet.SubnetId), "InvalidConfigurationRequest",
			"A load balancer cannot be attached to multiple subnets in the same Availability Zone")
		wantAPIError(t, "an ALB in an unknown subnet", create(subnets[0], "subnet-0000000000000dead"), "SubnetNotFound",
			"The subnet ID 'subnet-0000000000000dead' does not exist")
		_, err := c.elb.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("bad"), Subnets: subnets, SecurityGroups: []string{defaultGroup}})
		wantAPIError(t, "an ALB with a group of another VPC", err, "InvalidSecurityGroup",
			"Security group '"+defaultGroup+"' does not belong to VPC '"+vpc+"'")

		lb, err := c.elb.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{Name: aws.String("good"), Subnets: subnets, SecurityGroups: []string{sg}})
		must(t, "CreateLoadBalancer", func() error { return err })
		got := lb.LoadBalancers[0]
		zones := []string{}
		for _, z := range got.AvailabilityZones {
			zones = append(zones, aws.ToString(z.ZoneName)+" "+aws.ToString(z.SubnetId))
		}
		sort.Strings(zones)
		if aws.ToString(got.VpcId) != vpc || strings.Join(zones, ",") != "us-east-1a "+subnets[0]+",us-east-1b "+subnets[1] {
			t.Errorf("load balancer in %s, zones %v; want %s and its subnets' zones", aws.ToString(got.VpcId), zones, vpc)
		}
		_, err = c.elb.SetSubnets(ctx, &elb.SetSubnetsInput{LoadBalancerArn: got.LoadBalancerArn, Subnets: []string{subnets[0], defaultSubnets[1]}})
		wantAPIError(t, "SetSubnets over two VPCs", err, "InvalidConfigurationRequest",
			"Subnets must all be in the same VPC ('"+subnets[0]+"' is in "+vpc+", '"+defaultSubnets[1]+"' in "+defaultVpc+")")
		_, err = c.elb.SetSecurityGroups(ctx, &elb.SetSecurityGroupsInput{LoadBalancerArn: got.LoadBalancerArn, SecurityGroups: []string{"sg-0000000000000dead"}})
		wantAPIError(t, "SetSecurityGroups with an unknown group", err, "InvalidSecurityGroup", "The security group 'sg-0000000000000dead' does not exist")
		_, err = c.elb.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("tg"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
			VpcId: aws.String("vpc-0000000000000dead"), TargetType: elbtypes.TargetTypeEnumIp})
		wantAPIError(t, "a target group in an unknown VPC", err, "ValidationError", "The VPC ID 'vpc-0000000000000dead' is not found")
		_, err = c.elb.CreateTargetGroup(ctx, &elb.CreateTargetGroupInput{Name: aws.String("tg"), Protocol: elbtypes.ProtocolEnumHttp, Port: aws.Int32(80),
			VpcId: &vpc, TargetType: elbtypes.TargetTypeEnumIp})
		must(t, "CreateTargetGroup in a real VPC", func() error { return err })
	})

	t.Run("CloudMap", func(t *testing.T) {
		op := func(vpc string) *sdtypes.Operation {
			out, err := c.sd.CreatePrivateDnsNamespace(ctx, &servicediscovery.CreatePrivateDnsNamespaceInput{Name: aws.String("net.local"), Vpc: &vpc})
			must(t, "CreatePrivateDnsNamespace", func() error { return err })
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
				got, err := c.sd.GetOperation(ctx, &servicediscovery.GetOperationInput{OperationId: out.OperationId})
				must(t, "GetOperation", func() error { return err })
				if s := got.Operation.Status; s == sdtypes.OperationStatusSuccess || s == sdtypes.OperationStatusFail || time.Now().After(deadline) {
					return got.Operation
				}
			}
		}
		failed := op("vpc-0000000000000dead")
		if failed.Status != sdtypes.OperationStatusFail || aws.ToString(failed.ErrorCode) != "CANNOT_CREATE_HOSTED_ZONE" ||
			!strings.HasPrefix(aws.ToString(failed.ErrorMessage), "The VPC: vpc-0000000000000dead in region us-east-1 that you provided is not authorized to make the association.") {
			t.Errorf("namespace in an unknown VPC: %s %s %q", failed.Status, aws.ToString(failed.ErrorCode), aws.ToString(failed.ErrorMessage))
		}
		if ok := op(vpc); ok.Status != sdtypes.OperationStatusSuccess {
			t.Errorf("namespace in a real VPC: %s %q", ok.Status, aws.ToString(ok.ErrorMessage))
		}
	})
}

// detailsOf is an awsvpc task's ENI attachment details by name.
func detailsOf(task types.Task) map[string]string {
	out := map[string]string{}
	for _, a := range task.Attachments {
		if aws.ToString(a.Type) == "ElasticNetworkInterface" {
			for _, d := range a.Details {
				out[aws.ToString(d.Name)] = aws.ToString(d.Value)
			}
		}
	}
	return out
}

// A service of two awsvpc tasks has two network interfaces in EC2, each
// with its task's address, MAC, DNS name, subnet and groups, as the task's
// attachment shows them; they go when the service scales to zero.
func TestAwsvpcTasksHaveNetworkInterfaces(t *testing.T) {
	image := dockertest.TestAppImage(t)
	e := emulatortest.Start(t, emulatortest.Options{Docker: true})
	c := netClientsOf(e)
	ctx := t.Context()
	_, subnets, sg := ownVPC(t, c.ec2, "10.8")
	must(t, "CreateCluster", func() error { _, err := c.ecs.CreateCluster(ctx, &ecs.CreateClusterInput{}); return err })
	td := register(t, ctx, c.ecs, "eni", types.ContainerDefinition{
		Name: aws.String("app"), Image: aws.String(image), PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}}, StopTimeout: aws.Int32(2),
	})
	must(t, "CreateService", func() error {
		_, err := c.ecs.CreateService(ctx, &ecs.CreateServiceInput{ServiceName: aws.String("eni"), TaskDefinition: &td, DesiredCount: aws.Int32(2),
			LaunchType: types.LaunchTypeFargate, NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
				Subnets: subnets, SecurityGroups: []string{sg}}}})
		return err
	})
	tasks := waitRunningTasks(t, c.ecs, "eni", 2, 90*time.Second)
	taskENIs := func() []ec2types.NetworkInterface {
		out, err := c.ec2.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []ec2types.Filter{
			{Name: aws.String("requester-id"), Values: []string{"amazon-ecs"}}}})
		must(t, "DescribeNetworkInterfaces", func() error { return err })
		return out.NetworkInterfaces
	}
	// ECS spreads the tasks over the subnets; each runs in its subnet's zone.
	zones := map[string]string{subnets[0]: "us-east-1a", subnets[1]: "us-east-1b"}
	placed := map[string]bool{}
	for _, task := range tasks {
		sn := detailsOf(task)["subnetId"]
		placed[sn] = true
		if zone := aws.ToString(task.AvailabilityZone); zone != zones[sn] {
			t.Errorf("task in subnet %s runs in %s, want %s", sn, zone, zones[sn])
		}
	}
	if len(placed) != 2 {
		t.Errorf("the 2 tasks are in subnets %v, want one in each", placed)
	}
	enis := map[string]ec2types.NetworkInterface{}
	for _, eni := range taskENIs() {
		enis[aws.ToString(eni.NetworkInterfaceId)] = eni
	}
	if len(enis) != 2 {
		t.Fatalf("%d task interfaces in EC2, want 2", len(enis))
	}
	for _, task := range tasks {
		d := detailsOf(task)
		eni, ok := enis[d["networkInterfaceId"]]
		if !ok {
			t.Fatalf("task %s shows interface %q, which EC2 does not have", aws.ToString(task.TaskArn), d["networkInterfaceId"])
		}
		got := []string{aws.ToString(eni.PrivateIpAddress), aws.ToString(eni.MacAddress), aws.ToString(eni.PrivateDnsName), aws.ToString(eni.SubnetId)}
		want := []string{d["privateIPv4Address"], d["macAddress"], d["privateDnsName"], d["subnetId"]}
		if strings.Join(got, " ") != strings.Join(want, " ") || d["privateIPv4Address"] == "" || d["macAddress"] == "" {
			t.Errorf("interface %s shows %v, the task's attachment %v", d["networkInterfaceId"], got, want)
		}
		if len(eni.Groups) != 1 || aws.ToString(eni.Groups[0].GroupId) != sg || eni.Status != ec2types.NetworkInterfaceStatusInUse ||
			!strings.HasSuffix(aws.ToString(eni.Description), ":attachment/"+aws.ToString(task.Attachments[0].Id)) {
			t.Errorf("interface %s: groups %+v, status %s, description %q", d["networkInterfaceId"], eni.Groups, eni.Status, aws.ToString(eni.Description))
		}
	}

	must(t, "UpdateService", func() error {
		_, err := c.ecs.UpdateService(ctx, &ecs.UpdateServiceInput{Service: aws.String("eni"), DesiredCount: aws.Int32(0)})
		return err
	})
	for _, task := range tasks {
		waitStopped(t, ctx, c.ecs, aws.ToString(task.TaskArn))
	}
	if left := taskENIs(); len(left) != 0 {
		t.Errorf("%d task interfaces left after scaling to 0: %+v", len(left), left)
	}
}

// waitRunningTasks waits until a service has n RUNNING tasks, each with
// its address, and returns them.
func waitRunningTasks(t *testing.T, c *ecs.Client, service string, n int, timeout time.Duration) []types.Task {
	t.Helper()
	ctx := t.Context()
	for deadline := time.Now().Add(timeout); ; time.Sleep(300 * time.Millisecond) {
		list, err := c.ListTasks(ctx, &ecs.ListTasksInput{ServiceName: &service, DesiredStatus: types.DesiredStatusRunning})
		if err == nil && len(list.TaskArns) == n {
			out, err := c.DescribeTasks(ctx, &ecs.DescribeTasksInput{Tasks: list.TaskArns})
			running := 0
			for _, task := range out.Tasks {
				if aws.ToString(task.LastStatus) == "RUNNING" && detailsOf(task)["privateIPv4Address"] != "" {
					running++
				}
			}
			if err == nil && running == n {
				return out.Tasks
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("service %s has not %d running tasks after %s", service, n, timeout)
		}
	}
}
