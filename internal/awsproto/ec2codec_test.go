package awsproto

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// ec2FakeServer decodes every request with DecodeEC2 into a fresh value of
// the input type of the case under test and answers with WriteEC2 (or
// WriteEC2Error), the way the EC2 API adapter does.
type ec2FakeServer struct {
	t     *testing.T
	op    string
	in    reflect.Type
	reply any // output value or error

	mu      sync.Mutex
	decoded any
	body    string
}

func (f *ec2FakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	values, err := url.ParseQuery(string(body))
	if err != nil {
		f.t.Errorf("request body %q: %v", body, err)
	}
	if got := values.Get("Action"); got != f.op {
		f.t.Errorf("Action = %q, want %q", got, f.op)
	}
	if got := values.Get("Version"); got != EC2APIVersion {
		f.t.Errorf("Version = %q, want %q", got, EC2APIVersion)
	}
	in := reflect.New(f.in).Interface()
	if err := DecodeEC2(values, in); err != nil {
		f.t.Errorf("DecodeEC2(%s): %v", body, err)
	}
	f.mu.Lock()
	f.decoded, f.body = in, string(body)
	f.mu.Unlock()
	reqID := NewRequestID()
	if replyErr, ok := f.reply.(error); ok {
		WriteEC2Error(w, reqID, replyErr, EC2Status)
		return
	}
	if err := WriteEC2(w, reqID, f.op, EC2Namespace, f.reply); err != nil {
		f.t.Errorf("WriteEC2: %v", err)
	}
}

func (f *ec2FakeServer) request() (any, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.decoded, f.body
}

func ec2Client(url string) *ec2.Client {
	return ec2.NewFromConfig(testConfig(), func(o *ec2.Options) { o.BaseEndpoint = aws.String(url) })
}

// ec2Case is one operation: what the client sends and what the server
// answers, both checked to arrive unchanged.
func ec2Case[I, O any](op string, method func(*ec2.Client, context.Context, *I, ...func(*ec2.Options)) (*O, error), in *I, out *O) roundTrip[ec2.Client] {
	return roundTrip[ec2.Client]{name: op, op: op, in: in, out: out, invoke: call(method, in)}
}

func runEC2RoundTrip(t *testing.T, tc roundTrip[ec2.Client]) {
	t.Helper()
	fake := &ec2FakeServer{t: t, op: tc.op, in: reflect.TypeOf(tc.in).Elem(), reply: tc.out}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	got, err := tc.invoke(context.Background(), ec2Client(srv.URL))
	if err != nil {
		t.Fatalf("%s: %v", tc.op, err)
	}
	decoded, body := fake.request()
	t.Logf("request body: %s", body)
	if !reflect.DeepEqual(decoded, tc.in) {
		t.Errorf("server decoded a different input\nwire: %s\ngot:  %s\nwant: %s", body, mustEncode(t, decoded, AsIs), mustEncode(t, tc.in, AsIs))
	}
	clearResultMetadata(got)
	if !reflect.DeepEqual(got, tc.out) {
		body, _ := EncodeEC2(tc.op, "x", EC2Namespace, tc.out)
		t.Errorf("client decoded a different output\nwire: %s\ngot:  %s\nwant: %s", body, mustEncode(t, got, AsIs), mustEncode(t, tc.out, AsIs))
	}
}

func ec2Tags(kv ...string) []ec2types.Tag {
	var tags []ec2types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		tags = append(tags, ec2types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return tags
}

func sampleVpc(id, cidr string) ec2types.Vpc {
	return ec2types.Vpc{
		VpcId:           aws.String(id),
		CidrBlock:       aws.String(cidr),
		DhcpOptionsId:   aws.String("dopt-1"),
		InstanceTenancy: ec2types.TenancyDefault,
		IsDefault:       aws.Bool(false),
		OwnerId:         aws.String("000000000000"),
		State:           ec2types.VpcStateAvailable,
		CidrBlockAssociationSet: []ec2types.VpcCidrBlockAssociation{{
			AssociationId:  aws.String("vpc-cidr-assoc-1"),
			CidrBlock:      aws.String(cidr),
			CidrBlockState: &ec2types.VpcCidrBlockState{State: ec2types.VpcCidrBlockStateCodeAssociated},
		}},
		Ipv6CidrBlockAssociationSet: []ec2types.VpcIpv6CidrBlockAssociation{}, // empty but present
		Tags:                        ec2Tags("Name", "prod <vpc> & \"quoted\" é", "empty", ""),
	}
}

func sampleInstance() ec2types.Instance {
	return ec2types.Instance{
		InstanceId:     aws.String("i-0123456789abcdef0"),
		ImageId:        aws.String("ami-12345678"),
		InstanceType:   ec2types.InstanceTypeT3Micro,
		AmiLaunchIndex: aws.Int32(0),
		LaunchTime:     ms(2026, 12, 2, 10, 11, 12, 345),
		State:          &ec2types.InstanceState{Code: aws.Int32(16), Name: ec2types.InstanceStateNameRunning},
		Placement:      &ec2types.Placement{AvailabilityZone: aws.String("us-east-1a"), Tenancy: ec2types.TenancyDefault},
		Monitoring:     &ec2types.Monitoring{State: ec2types.MonitoringStateDisabled},
		SecurityGroups: []ec2types.GroupIdentifier{{GroupId: aws.String("sg-1"), GroupName: aws.String("web")}},
		NetworkInterfaces: []ec2types.InstanceNetworkInterface{{
			NetworkInterfaceId: aws.String("eni-1"),
			PrivateIpAddress:   aws.String("10.0.0.10"),
			Groups:             []ec2types.GroupIdentifier{{GroupId: aws.String("sg-1")}},
			Attachment: &ec2types.InstanceNetworkInterfaceAttachment{
				AttachmentId: aws.String("eni-attach-1"), DeviceIndex: aws.Int32(0),
				AttachTime: ms(2026, 12, 2, 10, 11, 12, 0), DeleteOnTermination: aws.Bool(true),
				Status: ec2types.AttachmentStatusAttached,
			},
			PrivateIpAddresses: []ec2types.InstancePrivateIpAddress{{PrivateIpAddress: aws.String("10.0.0.10"), Primary: aws.Bool(true)}},
		}},
		BlockDeviceMappings: []ec2types.InstanceBlockDeviceMapping{{
			DeviceName: aws.String("/dev/xvda"),
			Ebs:        &ec2types.EbsInstanceBlockDevice{VolumeId: aws.String("vol-1"), Status: ec2types.AttachmentStatusAttached},
		}},
		Tags:             ec2Tags("Name", "web"),
		SubnetId:         aws.String("subnet-1"),
		VpcId:            aws.String("vpc-1"),
		PrivateIpAddress: aws.String("10.0.0.10"),
		EbsOptimized:     aws.Bool(false),
	}
}

func TestEC2RoundTrips(t *testing.T) {
	cases := []roundTrip[ec2.Client]{
		ec2Case("CreateVpc", (*ec2.Client).CreateVpc,
			&ec2.CreateVpcInput{
				CidrBlock: aws.String("10.0.0.0/16"), InstanceTenancy: ec2types.TenancyDefault,
				AmazonProvidedIpv6CidrBlock: aws.Bool(false), DryRun: aws.Bool(true),
				TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeVpc, Tags: ec2Tags("Name", "prod", "team", "")}},
			},
			&ec2.CreateVpcOutput{Vpc: ptrTo(sampleVpc("vpc-1", "10.0.0.0/16"))}),
		ec2Case("DescribeVpcs", (*ec2.Client).DescribeVpcs,
			&ec2.DescribeVpcsInput{
				VpcIds:     []string{"vpc-1", "vpc-2"},
				Filters:    []ec2types.Filter{{Name: aws.String("tag:Name"), Values: []string{"a", "b"}}, {Name: aws.String("is-default"), Values: []string{"false"}}},
				MaxResults: aws.Int32(5), NextToken: aws.String("t0"),
			},
			&ec2.DescribeVpcsOutput{Vpcs: []ec2types.Vpc{sampleVpc("vpc-1", "10.0.0.0/16"), sampleVpc("vpc-2", "10.1.0.0/16")}, NextToken: aws.String("t1")}),
		ec2Case("DescribeVpcs", (*ec2.Client).DescribeVpcs, &ec2.DescribeVpcsInput{}, &ec2.DescribeVpcsOutput{Vpcs: []ec2types.Vpc{}}),
		ec2Case("DeleteVpc", (*ec2.Client).DeleteVpc, &ec2.DeleteVpcInput{VpcId: aws.String("vpc-1")}, &ec2.DeleteVpcOutput{}),
		ec2Case("ModifyVpcAttribute", (*ec2.Client).ModifyVpcAttribute,
			&ec2.ModifyVpcAttributeInput{VpcId: aws.String("vpc-1"), EnableDnsHostnames: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}},
			&ec2.ModifyVpcAttributeOutput{}),
		ec2Case("DescribeVpcAttribute", (*ec2.Client).DescribeVpcAttribute,
			&ec2.DescribeVpcAttributeInput{VpcId: aws.String("vpc-1"), Attribute: ec2types.VpcAttributeNameEnableDnsSupport},
			&ec2.DescribeVpcAttributeOutput{VpcId: aws.String("vpc-1"), EnableDnsSupport: &ec2types.AttributeBooleanValue{Value: aws.Bool(true)}}),
		ec2Case("CreateSubnet", (*ec2.Client).CreateSubnet,
			&ec2.CreateSubnetInput{VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.1.0/24"), AvailabilityZone: aws.String("us-east-1b")},
			&ec2.CreateSubnetOutput{Subnet: &ec2types.Subnet{
				SubnetId: aws.String("subnet-1"), VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.1.0/24"),
				AvailabilityZone: aws.String("us-east-1b"), AvailableIpAddressCount: aws.Int32(251),
				MapPublicIpOnLaunch: aws.Bool(true), DefaultForAz: aws.Bool(false), State: ec2types.SubnetStateAvailable,
				SubnetArn:                   aws.String("arn:aws:ec2:us-east-1:000000000000:subnet/subnet-1"),
				Ipv6CidrBlockAssociationSet: []ec2types.SubnetIpv6CidrBlockAssociation{},
			}}),
		ec2Case("ModifySubnetAttribute", (*ec2.Client).ModifySubnetAttribute,
			&ec2.ModifySubnetAttributeInput{SubnetId: aws.String("subnet-1"), MapPublicIpOnLaunch: &ec2types.AttributeBooleanValue{Value: aws.Bool(false)}},
			&ec2.ModifySubnetAttributeOutput{}),
		ec2Case("AuthorizeSecurityGroupIngress", (*ec2.Client).AuthorizeSecurityGroupIngress,
			&ec2.AuthorizeSecurityGroupIngressInput{
				GroupId: aws.String("sg-1"),
				IpPermissions: []ec2types.IpPermission{
					{
						IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
						IpRanges:   []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0"), Description: aws.String("https")}, {CidrIp: aws.String("10.0.0.0/8")}},
						Ipv6Ranges: []ec2types.Ipv6Range{{CidrIpv6: aws.String("::/0")}},
					},
					{
						IpProtocol:       aws.String("-1"),
						UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String("sg-2"), UserId: aws.String("000000000000")}},
						PrefixListIds:    []ec2types.PrefixListId{{PrefixListId: aws.String("pl-1")}},
					},
				},
				TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeSecurityGroupRule, Tags: ec2Tags("k", "v")}},
			},
			&ec2.AuthorizeSecurityGroupIngressOutput{Return: aws.Bool(true), SecurityGroupRules: []ec2types.SecurityGroupRule{{
				SecurityGroupRuleId: aws.String("sgr-1"), GroupId: aws.String("sg-1"), GroupOwnerId: aws.String("000000000000"),
				IsEgress: aws.Bool(false), IpProtocol: aws.String("tcp"), FromPort: aws.Int32(443), ToPort: aws.Int32(443),
				CidrIpv4: aws.String("0.0.0.0/0"), Tags: ec2Tags("k", "v"),
				ReferencedGroupInfo: &ec2types.ReferencedSecurityGroup{GroupId: aws.String("sg-2"), UserId: aws.String("000000000000")},
			}}}),
		ec2Case("DescribeSecurityGroups", (*ec2.Client).DescribeSecurityGroups,
			&ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-1"}, GroupNames: []string{"default"}},
			&ec2.DescribeSecurityGroupsOutput{SecurityGroups: []ec2types.SecurityGroup{{
				GroupId: aws.String("sg-1"), GroupName: aws.String("web"), Description: aws.String("web servers"),
				VpcId: aws.String("vpc-1"), OwnerId: aws.String("000000000000"),
				IpPermissions: []ec2types.IpPermission{{
					IpProtocol: aws.String("tcp"), FromPort: aws.Int32(80), ToPort: aws.Int32(80),
					IpRanges:         []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}},
					UserIdGroupPairs: []ec2types.UserIdGroupPair{{GroupId: aws.String("sg-2")}},
					Ipv6Ranges:       []ec2types.Ipv6Range{}, PrefixListIds: []ec2types.PrefixListId{},
				}},
				IpPermissionsEgress: []ec2types.IpPermission{{IpProtocol: aws.String("-1"), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("0.0.0.0/0")}}}},
				Tags:                ec2Tags("Name", "web"),
			}}}),
		ec2Case("ModifySecurityGroupRules", (*ec2.Client).ModifySecurityGroupRules,
			&ec2.ModifySecurityGroupRulesInput{GroupId: aws.String("sg-1"), SecurityGroupRules: []ec2types.SecurityGroupRuleUpdate{{
				SecurityGroupRuleId: aws.String("sgr-1"),
				SecurityGroupRule:   &ec2types.SecurityGroupRuleRequest{IpProtocol: aws.String("udp"), FromPort: aws.Int32(53), ToPort: aws.Int32(53), CidrIpv4: aws.String("10.0.0.0/8")},
			}}},
			&ec2.ModifySecurityGroupRulesOutput{Return: aws.Bool(true)}),
		ec2Case("CreateTags", (*ec2.Client).CreateTags,
			&ec2.CreateTagsInput{Resources: []string{"vpc-1", "subnet-1"}, Tags: ec2Tags("a", "1", "b", "")},
			&ec2.CreateTagsOutput{}),
		ec2Case("DescribeTags", (*ec2.Client).DescribeTags,
			&ec2.DescribeTagsInput{Filters: []ec2types.Filter{{Name: aws.String("resource-id"), Values: []string{"vpc-1"}}}},
			&ec2.DescribeTagsOutput{Tags: []ec2types.TagDescription{{Key: aws.String("a"), Value: aws.String("1"), ResourceId: aws.String("vpc-1"), ResourceType: ec2types.ResourceTypeVpc}}}),
		ec2Case("CreateRoute", (*ec2.Client).CreateRoute,
			&ec2.CreateRouteInput{RouteTableId: aws.String("rtb-1"), DestinationCidrBlock: aws.String("0.0.0.0/0"), GatewayId: aws.String("igw-1")},
			&ec2.CreateRouteOutput{Return: aws.Bool(true)}),
		ec2Case("DescribeRouteTables", (*ec2.Client).DescribeRouteTables,
			&ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{"vpc-1"}}}},
			&ec2.DescribeRouteTablesOutput{RouteTables: []ec2types.RouteTable{{
				RouteTableId: aws.String("rtb-1"), VpcId: aws.String("vpc-1"), OwnerId: aws.String("000000000000"),
				Routes: []ec2types.Route{
					{DestinationCidrBlock: aws.String("10.0.0.0/16"), GatewayId: aws.String("local"), State: ec2types.RouteStateActive, Origin: ec2types.RouteOriginCreateRouteTable},
					{DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String("nat-1"), State: ec2types.RouteStateBlackhole},
				},
				Associations: []ec2types.RouteTableAssociation{{
					RouteTableAssociationId: aws.String("rtbassoc-1"), RouteTableId: aws.String("rtb-1"), SubnetId: aws.String("subnet-1"),
					Main: aws.Bool(false), AssociationState: &ec2types.RouteTableAssociationState{State: ec2types.RouteTableAssociationStateCodeAssociated},
				}},
				PropagatingVgws: []ec2types.PropagatingVgw{},
			}}}),
		ec2Case("AssociateRouteTable", (*ec2.Client).AssociateRouteTable,
			&ec2.AssociateRouteTableInput{RouteTableId: aws.String("rtb-1"), SubnetId: aws.String("subnet-1")},
			&ec2.AssociateRouteTableOutput{AssociationId: aws.String("rtbassoc-1"), AssociationState: &ec2types.RouteTableAssociationState{State: ec2types.RouteTableAssociationStateCodeAssociating}}),
		ec2Case("CreateNatGateway", (*ec2.Client).CreateNatGateway,
			&ec2.CreateNatGatewayInput{SubnetId: aws.String("subnet-1"), AllocationId: aws.String("eipalloc-1"), ClientToken: aws.String("tok"), ConnectivityType: ec2types.ConnectivityTypePublic},
			&ec2.CreateNatGatewayOutput{ClientToken: aws.String("tok"), NatGateway: &ec2types.NatGateway{
				NatGatewayId: aws.String("nat-1"), SubnetId: aws.String("subnet-1"), VpcId: aws.String("vpc-1"),
				State: ec2types.NatGatewayStatePending, ConnectivityType: ec2types.ConnectivityTypePublic,
				CreateTime: ms(2026, 1, 2, 3, 4, 5, 6),
				NatGatewayAddresses: []ec2types.NatGatewayAddress{{
					AllocationId: aws.String("eipalloc-1"), PublicIp: aws.String("198.51.100.1"), PrivateIp: aws.String("10.0.0.5"),
					IsPrimary: aws.Bool(true), Status: ec2types.NatGatewayAddressStatusSucceeded,
				}},
			}}),
		ec2Case("AllocateAddress", (*ec2.Client).AllocateAddress,
			&ec2.AllocateAddressInput{Domain: ec2types.DomainTypeVpc},
			&ec2.AllocateAddressOutput{AllocationId: aws.String("eipalloc-1"), PublicIp: aws.String("198.51.100.1"), Domain: ec2types.DomainTypeVpc, NetworkBorderGroup: aws.String("us-east-1")}),
		ec2Case("DescribeAddresses", (*ec2.Client).DescribeAddresses,
			&ec2.DescribeAddressesInput{AllocationIds: []string{"eipalloc-1"}, PublicIps: []string{"198.51.100.1"}},
			&ec2.DescribeAddressesOutput{Addresses: []ec2types.Address{{AllocationId: aws.String("eipalloc-1"), PublicIp: aws.String("198.51.100.1"), Domain: ec2types.DomainTypeVpc, AssociationId: aws.String("eipassoc-1"), Tags: ec2Tags("k", "v")}}}),
		ec2Case("DeleteVpcEndpoints", (*ec2.Client).DeleteVpcEndpoints,
			&ec2.DeleteVpcEndpointsInput{VpcEndpointIds: []string{"vpce-1", "vpce-2"}},
			&ec2.DeleteVpcEndpointsOutput{Unsuccessful: []ec2types.UnsuccessfulItem{{
				ResourceId: aws.String("vpce-2"),
				Error:      &ec2types.UnsuccessfulItemError{Code: aws.String("InvalidVpcEndpoint.NotFound"), Message: aws.String("The VPC endpoint 'vpce-2' does not exist")},
			}}}),
		ec2Case("CreateVpcEndpoint", (*ec2.Client).CreateVpcEndpoint,
			&ec2.CreateVpcEndpointInput{
				VpcId: aws.String("vpc-1"), ServiceName: aws.String("com.amazonaws.us-east-1.s3"), VpcEndpointType: ec2types.VpcEndpointTypeGateway,
				RouteTableIds: []string{"rtb-1"}, SubnetIds: []string{"subnet-1"}, SecurityGroupIds: []string{"sg-1"},
				PrivateDnsEnabled: aws.Bool(true), PolicyDocument: aws.String(`{"Statement":[]}`),
			},
			&ec2.CreateVpcEndpointOutput{VpcEndpoint: &ec2types.VpcEndpoint{
				VpcEndpointId: aws.String("vpce-1"), VpcEndpointType: ec2types.VpcEndpointTypeGateway, State: ec2types.StateAvailable,
				RouteTableIds: []string{"rtb-1"}, SubnetIds: []string{}, Groups: []ec2types.SecurityGroupIdentifier{{GroupId: aws.String("sg-1"), GroupName: aws.String("web")}},
				DnsEntries:        []ec2types.DnsEntry{{DnsName: aws.String("vpce-1.s3.amazonaws.com"), HostedZoneId: aws.String("Z1")}},
				CreationTimestamp: ms(2026, 12, 2, 0, 0, 0, 0), PrivateDnsEnabled: aws.Bool(false),
			}}),
		ec2Case("CreateNetworkInterface", (*ec2.Client).CreateNetworkInterface,
			&ec2.CreateNetworkInterfaceInput{SubnetId: aws.String("subnet-1"), Groups: []string{"sg-1", "sg-2"}, Description: aws.String("task eni"), PrivateIpAddress: aws.String("10.0.1.7")},
			&ec2.CreateNetworkInterfaceOutput{NetworkInterface: &ec2types.NetworkInterface{
				NetworkInterfaceId: aws.String("eni-1"), SubnetId: aws.String("subnet-1"), VpcId: aws.String("vpc-1"),
				Status: ec2types.NetworkInterfaceStatusAvailable, InterfaceType: ec2types.NetworkInterfaceTypeInterface,
				Groups:             []ec2types.GroupIdentifier{{GroupId: aws.String("sg-1")}, {GroupId: aws.String("sg-2")}},
				PrivateIpAddresses: []ec2types.NetworkInterfacePrivateIpAddress{{PrivateIpAddress: aws.String("10.0.1.7"), Primary: aws.Bool(true)}},
				TagSet:             ec2Tags("k", "v"), RequesterManaged: aws.Bool(false), SourceDestCheck: aws.Bool(true),
			}}),
		ec2Case("DescribeAvailabilityZones", (*ec2.Client).DescribeAvailabilityZones,
			&ec2.DescribeAvailabilityZonesInput{AllAvailabilityZones: aws.Bool(true), ZoneNames: []string{"us-east-1a"}, ZoneIds: []string{"use1-az1"}},
			&ec2.DescribeAvailabilityZonesOutput{AvailabilityZones: []ec2types.AvailabilityZone{{
				ZoneName: aws.String("us-east-1a"), ZoneId: aws.String("use1-az1"), RegionName: aws.String("us-east-1"),
				State: ec2types.AvailabilityZoneStateAvailable, OptInStatus: ec2types.AvailabilityZoneOptInStatusOptInNotRequired,
				ZoneType: aws.String("availability-zone"), Messages: []ec2types.AvailabilityZoneMessage{{Message: aws.String("ok")}},
			}}}),
		ec2Case("DescribeRegions", (*ec2.Client).DescribeRegions,
			&ec2.DescribeRegionsInput{RegionNames: []string{"us-east-1"}, AllRegions: aws.Bool(false)},
			&ec2.DescribeRegionsOutput{Regions: []ec2types.Region{{RegionName: aws.String("us-east-1"), Endpoint: aws.String("ec2.us-east-1.amazonaws.com"), OptInStatus: aws.String("opt-in-not-required")}}}),
		ec2Case("DescribeAccountAttributes", (*ec2.Client).DescribeAccountAttributes,
			&ec2.DescribeAccountAttributesInput{AttributeNames: []ec2types.AccountAttributeName{ec2types.AccountAttributeNameSupportedPlatforms, ec2types.AccountAttributeNameDefaultVpc}},
			&ec2.DescribeAccountAttributesOutput{AccountAttributes: []ec2types.AccountAttribute{
				{AttributeName: aws.String("supported-platforms"), AttributeValues: []ec2types.AccountAttributeValue{{AttributeValue: aws.String("VPC")}}},
				{AttributeName: aws.String("default-vpc"), AttributeValues: []ec2types.AccountAttributeValue{{AttributeValue: aws.String("vpc-1")}}},
			}}),
		ec2Case("RunInstances", (*ec2.Client).RunInstances,
			&ec2.RunInstancesInput{
				ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(2), InstanceType: ec2types.InstanceTypeT3Micro,
				ClientToken: aws.String("tok"), KeyName: aws.String("me"), UserData: aws.String("IyEvYmluL3No"),
				SecurityGroupIds: []string{"sg-1"}, SubnetId: aws.String("subnet-1"),
				NetworkInterfaces: []ec2types.InstanceNetworkInterfaceSpecification{{
					DeviceIndex: aws.Int32(0), SubnetId: aws.String("subnet-1"), Groups: []string{"sg-1", "sg-2"},
					AssociatePublicIpAddress: aws.Bool(true), PrivateIpAddresses: []ec2types.PrivateIpAddressSpecification{{PrivateIpAddress: aws.String("10.0.0.10"), Primary: aws.Bool(true)}},
				}},
				BlockDeviceMappings: []ec2types.BlockDeviceMapping{{DeviceName: aws.String("/dev/xvda"), Ebs: &ec2types.EbsBlockDevice{VolumeSize: aws.Int32(8), VolumeType: ec2types.VolumeTypeGp3, DeleteOnTermination: aws.Bool(true)}}},
				TagSpecifications:   []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance, Tags: ec2Tags("Name", "web")}, {ResourceType: ec2types.ResourceTypeVolume, Tags: ec2Tags("v", "1")}},
				MetadataOptions:     &ec2types.InstanceMetadataOptionsRequest{HttpTokens: ec2types.HttpTokensStateRequired, HttpPutResponseHopLimit: aws.Int32(2)},
				IamInstanceProfile:  &ec2types.IamInstanceProfileSpecification{Name: aws.String("role")},
				Monitoring:          &ec2types.RunInstancesMonitoringEnabled{Enabled: aws.Bool(false)},
			},
			&ec2.RunInstancesOutput{
				ReservationId: aws.String("r-1"), OwnerId: aws.String("000000000000"),
				Groups:    []ec2types.GroupIdentifier{},
				Instances: []ec2types.Instance{sampleInstance()},
			}),
		ec2Case("DescribeInstances", (*ec2.Client).DescribeInstances,
			&ec2.DescribeInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}, Filters: []ec2types.Filter{{Name: aws.String("instance-state-name"), Values: []string{"running", "pending"}}}},
			&ec2.DescribeInstancesOutput{Reservations: []ec2types.Reservation{{ReservationId: aws.String("r-1"), OwnerId: aws.String("000000000000"), Instances: []ec2types.Instance{sampleInstance(), sampleInstance()}}}}),
		ec2Case("StopInstances", (*ec2.Client).StopInstances,
			&ec2.StopInstancesInput{InstanceIds: []string{"i-1", "i-2"}, Force: aws.Bool(true), Hibernate: aws.Bool(false)},
			&ec2.StopInstancesOutput{StoppingInstances: []ec2types.InstanceStateChange{{
				InstanceId:    aws.String("i-1"),
				CurrentState:  &ec2types.InstanceState{Code: aws.Int32(64), Name: ec2types.InstanceStateNameStopping},
				PreviousState: &ec2types.InstanceState{Code: aws.Int32(16), Name: ec2types.InstanceStateNameRunning},
			}}}),
		ec2Case("TerminateInstances", (*ec2.Client).TerminateInstances,
			&ec2.TerminateInstancesInput{InstanceIds: []string{"i-1"}},
			&ec2.TerminateInstancesOutput{TerminatingInstances: []ec2types.InstanceStateChange{{InstanceId: aws.String("i-1"), CurrentState: &ec2types.InstanceState{Code: aws.Int32(32), Name: ec2types.InstanceStateNameShuttingDown}}}}),
		ec2Case("DescribeInstanceStatus", (*ec2.Client).DescribeInstanceStatus,
			&ec2.DescribeInstanceStatusInput{IncludeAllInstances: aws.Bool(true), InstanceIds: []string{"i-1"}},
			&ec2.DescribeInstanceStatusOutput{InstanceStatuses: []ec2types.InstanceStatus{{
				InstanceId: aws.String("i-1"), AvailabilityZone: aws.String("us-east-1a"),
				InstanceState: &ec2types.InstanceState{Code: aws.Int32(16), Name: ec2types.InstanceStateNameRunning},
				InstanceStatus: &ec2types.InstanceStatusSummary{Status: ec2types.SummaryStatusOk,
					Details: []ec2types.InstanceStatusDetails{{Name: ec2types.StatusNameReachability, Status: ec2types.StatusTypePassed, ImpairedSince: ms(2026, 12, 1, 0, 0, 0, 0)}}},
				Events: []ec2types.InstanceStatusEvent{{Code: ec2types.EventCodeSystemReboot, NotBefore: ms(2026, 12, 24, 12, 0, 0, 500), Description: aws.String("maintenance")}},
			}}}),
		ec2Case("CreateKeyPair", (*ec2.Client).CreateKeyPair,
			&ec2.CreateKeyPairInput{KeyName: aws.String("me"), KeyType: ec2types.KeyTypeEd25519, KeyFormat: ec2types.KeyFormatPem},
			&ec2.CreateKeyPairOutput{KeyName: aws.String("me"), KeyPairId: aws.String("key-1"), KeyFingerprint: aws.String("ab:cd"), KeyMaterial: aws.String("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n")}),
		ec2Case("DescribeKeyPairs", (*ec2.Client).DescribeKeyPairs,
			&ec2.DescribeKeyPairsInput{KeyNames: []string{"me"}, IncludePublicKey: aws.Bool(true)},
			&ec2.DescribeKeyPairsOutput{KeyPairs: []ec2types.KeyPairInfo{{KeyName: aws.String("me"), KeyPairId: aws.String("key-1"), KeyType: ec2types.KeyTypeEd25519, CreateTime: ms(2026, 6, 30, 23, 59, 59, 999), PublicKey: aws.String("ssh-ed25519 AAAA")}}}),
		ec2Case("DeleteKeyPair", (*ec2.Client).DeleteKeyPair,
			&ec2.DeleteKeyPairInput{KeyName: aws.String("me")},
			&ec2.DeleteKeyPairOutput{Return: aws.Bool(true), KeyPairId: aws.String("key-1")}),
		ec2Case("DescribeImages", (*ec2.Client).DescribeImages,
			&ec2.DescribeImagesInput{Owners: []string{"amazon"}, ImageIds: []string{"ami-1"}, IncludeDeprecated: aws.Bool(true)},
			&ec2.DescribeImagesOutput{Images: []ec2types.Image{{
				ImageId: aws.String("ami-1"), Name: aws.String("al2023"), State: ec2types.ImageStateAvailable, Public: aws.Bool(true),
				Architecture: ec2types.ArchitectureValuesX8664, CreationDate: aws.String("2026-01-01T00:00:00.000Z"),
				BlockDeviceMappings: []ec2types.BlockDeviceMapping{{DeviceName: aws.String("/dev/xvda"), Ebs: &ec2types.EbsBlockDevice{SnapshotId: aws.String("snap-1"), VolumeSize: aws.Int32(8)}}},
				ProductCodes:        []ec2types.ProductCode{},
			}}}),
		ec2Case("DescribeManagedPrefixLists", (*ec2.Client).DescribeManagedPrefixLists,
			&ec2.DescribeManagedPrefixListsInput{PrefixListIds: []string{"pl-1"}},
			&ec2.DescribeManagedPrefixListsOutput{PrefixLists: []ec2types.ManagedPrefixList{{
				PrefixListId: aws.String("pl-1"), PrefixListName: aws.String("com.amazonaws.us-east-1.s3"), AddressFamily: aws.String("IPv4"),
				MaxEntries: aws.Int32(10), Version: aws.Int64(3), State: ec2types.PrefixListStateCreateComplete, Tags: ec2Tags("k", "v"),
			}}}),
		ec2Case("DescribePrefixLists", (*ec2.Client).DescribePrefixLists,
			&ec2.DescribePrefixListsInput{PrefixListIds: []string{"pl-1"}},
			&ec2.DescribePrefixListsOutput{PrefixLists: []ec2types.PrefixList{{PrefixListId: aws.String("pl-1"), PrefixListName: aws.String("s3"), Cidrs: []string{"52.216.0.0/15", "3.5.0.0/19"}}}}),
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { runEC2RoundTrip(t, tc) })
	}
}
