package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// EC2Instance is AWS::EC2::Instance as EC2 here has instances: a record
// with an interface in its subnet, pending then running, that runs
// nothing. Ref is the instance ID; GetAtt InstanceId, AvailabilityZone,
// PrivateDnsName, PrivateIp, PublicDnsName, PublicIp and VpcId. Create
// waits until it is running, Delete until it is terminated.
type EC2Instance struct {
	api *ec2api.API
	ec2Waits
}

// NewEC2Instance returns the instance provider.
func NewEC2Instance(api *ec2api.API) *EC2Instance {
	return &EC2Instance{api: api, ec2Waits: defaultEC2Waits()}
}

// instanceProps are the properties that shape the record.
type instanceProps struct {
	ImageId           *string
	InstanceType      types.InstanceType
	KeyName           *string
	SubnetId          *string
	AvailabilityZone  *string
	Tenancy           types.Tenancy
	PrivateIpAddress  *string
	SecurityGroupIds  []string
	SecurityGroups    []string
	NetworkInterfaces []instanceInterface
	Tags              []types.Tag
}

// instanceInterface is CloudFormation's NetworkInterface of an instance
// (GroupSet where the API says Groups).
type instanceInterface struct {
	AssociatePublicIpAddress *bool
	DeleteOnTermination      *bool
	Description              *string
	DeviceIndex              *int32
	GroupSet                 []string
	NetworkInterfaceId       *string
	PrivateIpAddress         *string
	SubnetId                 *string
}

// instanceKept are the properties of what an instance does when it runs
// (its user data, role, disks, monitoring, ...): kept in the stack, not
// applied, since nothing runs.
var instanceKept = []string{"UserData", "IamInstanceProfile", "BlockDeviceMappings", "Monitoring", "DisableApiTermination",
	"DisableApiStop", "EbsOptimized", "CreditSpecification", "InstanceInitiatedShutdownBehavior", "MetadataOptions",
	"PropagateTagsToVolumeOnCreation", "SourceDestCheck", "Volumes", "PlacementGroupName", "HostId", "Affinity",
	"CpuOptions", "HibernationOptions", "EnclaveOptions", "PrivateDnsNameOptions", "LicenseSpecifications",
	"AdditionalInfo", "KernelId", "RamdiskId", "SsmAssociations", "LaunchTemplate"}

func decodeInstance(p map[string]any) (*instanceProps, error) {
	v := &instanceProps{}
	return v, props.Decode(p, v, instanceKept...)
}

// runInput is the RunInstances call of one instance.
func (v *instanceProps) runInput(tags []types.Tag) *ec2.RunInstancesInput {
	in := &ec2.RunInstancesInput{ImageId: v.ImageId, InstanceType: v.InstanceType, KeyName: v.KeyName, SubnetId: v.SubnetId,
		PrivateIpAddress: v.PrivateIpAddress, SecurityGroupIds: v.SecurityGroupIds, SecurityGroups: v.SecurityGroups,
		MinCount: ptr[int32](1), MaxCount: ptr[int32](1)}
	if len(tags) > 0 {
		in.TagSpecifications = []types.TagSpecification{{ResourceType: types.ResourceTypeInstance, Tags: tags}}
	}
	if v.AvailabilityZone != nil || v.Tenancy != "" {
		in.Placement = &types.Placement{AvailabilityZone: v.AvailabilityZone, Tenancy: v.Tenancy}
	}
	for _, n := range v.NetworkInterfaces {
		in.NetworkInterfaces = append(in.NetworkInterfaces, types.InstanceNetworkInterfaceSpecification{
			AssociatePublicIpAddress: n.AssociatePublicIpAddress, DeleteOnTermination: n.DeleteOnTermination,
			Description: n.Description, DeviceIndex: n.DeviceIndex, Groups: n.GroupSet, NetworkInterfaceId: n.NetworkInterfaceId,
			PrivateIpAddress: n.PrivateIpAddress, SubnetId: n.SubnetId})
	}
	return in
}

// Create launches the instance and waits until it is running.
func (p *EC2Instance) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	v, err := decodeInstance(req.Properties)
	if err != nil {
		return nil, err
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	out, err := s.RunInstances(cctx, v.runInput(ec2Tags(req, v.Tags)))
	if err != nil {
		return nil, err
	}
	id := *out.Instances[0].InstanceId
	var inst *types.Instance
	err = untilDone(cctx, p.Poll, func() (bool, error) {
		inst, err = p.describe(cctx, s, id)
		if err != nil || inst == nil {
			return false, err
		}
		return inst.State.Name == types.InstanceStateNameRunning, nil
	})
	if err != nil {
		return &engine.Result{PhysicalID: id}, err // made: the rollback terminates it
	}
	return instanceResult(inst), nil
}

// describe returns the instance, nil when EC2 no longer knows it.
func (p *EC2Instance) describe(ctx context.Context, s *ec2api.Store, id string) (*types.Instance, error) {
	out, err := s.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{id}})
	if isCode(err, "InvalidInstanceID.NotFound") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &out.Reservations[0].Instances[0], nil
}

func instanceResult(i *types.Instance) *engine.Result {
	attrs := map[string]any{
		"InstanceId": deref(i.InstanceId), "PrivateDnsName": deref(i.PrivateDnsName), "PrivateIp": deref(i.PrivateIpAddress),
		"PublicDnsName": deref(i.PublicDnsName), "PublicIp": deref(i.PublicIpAddress), "VpcId": deref(i.VpcId),
	}
	if i.Placement != nil {
		attrs["AvailabilityZone"] = deref(i.Placement.AvailabilityZone)
	}
	return &engine.Result{PhysicalID: deref(i.InstanceId), Attributes: attrs}
}

// Update changes the tags; the properties that are kept, not applied,
// change in the stack only.
func (p *EC2Instance) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	if err := retagFrom(cctx, s, req, req.PhysicalID); err != nil {
		return nil, err
	}
	inst, err := p.describe(cctx, s, req.PhysicalID)
	if err != nil {
		return nil, err
	}
	if inst == nil {
		return nil, &engine.Failure{Message: "Instance " + req.PhysicalID + " no longer exists"}
	}
	return instanceResult(inst), nil
}

// Delete terminates the instance and waits until it is terminated; one
// already gone is deleted.
func (p *EC2Instance) Delete(ctx context.Context, req *engine.Request) error {
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	_, err := s.TerminateInstances(cctx, &ec2.TerminateInstancesInput{InstanceIds: []string{req.PhysicalID}})
	if isCode(err, "InvalidInstanceID.NotFound") {
		return nil
	}
	if err != nil {
		return err
	}
	return untilDone(cctx, p.Poll, func() (bool, error) {
		inst, err := p.describe(cctx, s, req.PhysicalID)
		return inst == nil || inst.State.Name == types.InstanceStateNameTerminated, err
	})
}

// Replaces: a change of any property that shapes the record but Tags.
// (On AWS InstanceType, SecurityGroupIds and a few others change in
// place; a record cannot be modified, so here they replace it.)
func (p *EC2Instance) Replaces(oldProps, newProps map[string]any) bool {
	return changedExcept(oldProps, newProps, append([]string{"Tags"}, instanceKept...)...)
}
