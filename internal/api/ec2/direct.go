package ec2

import (
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// In-process lookups and changes for the rest of the emulator (ECS,
// ELBv2, Cloud Map, CloudFormation), region explicit. Errors are EC2's
// API errors (*Error). For creates and deletes, call the typed operations
// on API.Store(region).

// Vpc returns a VPC.
func (a *API) Vpc(region, id string) (types.Vpc, error) {
	s := a.Store(region)
	var out types.Vpc
	err := s.read(func() error {
		r, err := lookup(s.vpcs, "vpc", id)
		if err == nil {
			out = s.vpcView(r)
		}
		return err
	})
	return out, err
}

// VPCExists reports whether a VPC exists.
func (a *API) VPCExists(region, id string) bool {
	_, err := a.Vpc(region, id)
	return err == nil
}

// Subnet returns a subnet.
func (a *API) Subnet(region, id string) (types.Subnet, error) {
	subnets, err := a.Subnets(region, []string{id})
	if err != nil {
		return types.Subnet{}, err
	}
	return subnets[0], nil
}

// Subnets returns subnets in the order asked; every one must exist.
func (a *API) Subnets(region string, ids []string) ([]types.Subnet, error) {
	s := a.Store(region)
	var out []types.Subnet
	err := s.read(func() error {
		for _, id := range ids {
			r, err := lookup(s.subnets, "subnet", id)
			if err != nil {
				return err
			}
			out = append(out, s.subnetView(r))
		}
		return nil
	})
	return out, err
}

// SecurityGroup returns a security group with its permissions.
func (a *API) SecurityGroup(region, id string) (types.SecurityGroup, error) {
	s := a.Store(region)
	var out types.SecurityGroup
	err := s.read(func() error {
		g, err := lookup(s.groups, "sg", id)
		if err == nil {
			out = s.groupView(g)
		}
		return err
	})
	return out, err
}

// SecurityGroupVPCs maps each group to its VPC, or fails for the first
// group that does not exist.
func (a *API) SecurityGroupVPCs(region string, ids []string) (map[string]string, error) {
	s := a.Store(region)
	out := map[string]string{}
	err := s.read(func() error {
		for _, id := range ids {
			g, err := lookup(s.groups, "sg", id)
			if err != nil {
				return err
			}
			out[id] = *g.group.VpcId
		}
		return nil
	})
	return out, err
}

// DefaultSecurityGroup is the ID of a VPC's "default" group, "" for an
// unknown VPC.
func (a *API) DefaultSecurityGroup(region, vpcID string) string {
	s := a.Store(region)
	s.lock()
	defer s.unlock()
	if v, ok := s.vpcs[vpcID]; ok {
		return v.defaultGroup
	}
	return ""
}

// CheckAwsvpc checks an awsvpc configuration: every subnet exists, every
// group exists, all in one VPC. On failure it says which kind of ID failed
// ("subnet" or "security group") and EC2's error.
func (a *API) CheckAwsvpc(region string, subnets, groups []string) (kind string, err error) {
	found, err := a.Subnets(region, subnets)
	if err != nil {
		return "subnet", err
	}
	vpcs, err := a.SecurityGroupVPCs(region, groups)
	if err != nil {
		return "security group", err
	}
	for _, sn := range found {
		if *sn.VpcId != *found[0].VpcId {
			return "subnet", errInvalidParameterValue("Subnets %s and %s belong to different networks.", *found[0].SubnetId, *sn.SubnetId)
		}
	}
	for _, g := range groups {
		if len(found) > 0 && vpcs[g] != *found[0].VpcId {
			return "security group", errInvalidParameterValue("Security group %s and subnet %s belong to different networks.", g, *found[0].SubnetId)
		}
	}
	return "", nil
}

// CreateTaskInterface gives an awsvpc task its network interface in a
// subnet: the groups (the VPC's default group when none), requester-managed
// and in use as ECS's are. ip and mac are the task's real ones (its
// container network's), so what EC2 shows is what the task has; the
// private DNS name follows from ip. Without them the interface gets the
// subnet's next free address and a MAC of its own. description is ECS's
// "arn:aws:ecs:…:attachment/…".
func (a *API) CreateTaskInterface(region, subnetID string, groupIDs []string, ip, mac, description string) (types.NetworkInterface, error) {
	s := a.Store(region)
	var out types.NetworkInterface
	err := s.write(func() error {
		e, err := s.addInterface(interfaceSpec{subnet: subnetID, groups: groupIDs, description: description,
			hostAddress: ip, mac: mac, kind: types.NetworkInterfaceTypeInterface, requesterID: ecsRequester})
		if err != nil {
			return err
		}
		e.Status = types.NetworkInterfaceStatusInUse
		e.Attachment = &types.NetworkInterfaceAttachment{AttachmentId: ptr(a.opts.IDs.New("eni-attach")), AttachTime: ptr(s.now()),
			DeleteOnTermination: ptr(false), DeviceIndex: ptr[int32](1), NetworkCardIndex: ptr[int32](0),
			InstanceOwnerId: ptr("amazon-aws"), Status: types.AttachmentStatusAttached}
		out = s.eniView(e)
		return nil
	})
	return out, err
}

// ecsRequester is the requester of the interfaces ECS manages.
const ecsRequester = "amazon-ecs"

// DeleteInterface removes a network interface, attached or not (ECS
// removes a stopped task's interface). An unknown interface is EC2's
// NotFound error.
func (a *API) DeleteInterface(region, eniID string) error {
	s := a.Store(region)
	return s.write(func() error {
		if _, err := lookup(s.enis, "eni", eniID); err != nil {
			return err
		}
		s.removeInterface(eniID)
		return nil
	})
}
