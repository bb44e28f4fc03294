package app

import (
	"github.com/localaws/ecsemu/internal/api/ec2"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/api/elbv2"
)

// network adapts EC2 to what ECS, ELBv2, Cloud Map and the reconciler ask
// of it: the IDs they are given must exist as EC2 has them, and every
// awsvpc task gets its network interface. Each consumer keeps its own
// error wording (ECS wraps EC2's error, ELBv2 turns it into
// SubnetNotFound…); this only translates.
type network struct{ ec2 *ec2.API }

// checkAwsvpc is ECS's NetworkLookup: an awsvpc configuration's subnets
// and security groups exist, in one VPC.
func (n network) checkAwsvpc(region string, subnets, groups []string) error {
	kind, err := n.ec2.CheckAwsvpc(region, subnets, groups)
	if err == nil {
		return nil
	}
	ids := subnets
	if kind == "security group" {
		ids = groups
	}
	return &ecsapi.NetworkError{Kind: kind, IDs: ids, Err: err}
}

// subnetZone is ECS's SubnetZone: where a task placed in a subnet runs.
func (n network) subnetZone(region, subnetID string) string {
	sn, err := n.ec2.Subnet(region, subnetID)
	if err != nil {
		return ""
	}
	return *sn.AvailabilityZone
}

// Subnets, SecurityGroupVPCs, VPCExists and DefaultSecurityGroup make
// network an elbv2.NetworkLookup.
func (n network) Subnets(region string, ids []string) ([]elbv2.Subnet, error) {
	found, err := n.ec2.Subnets(region, ids)
	if err != nil {
		return nil, err
	}
	out := make([]elbv2.Subnet, 0, len(found))
	for _, sn := range found {
		out = append(out, elbv2.Subnet{ID: *sn.SubnetId, VpcID: *sn.VpcId, Zone: *sn.AvailabilityZone})
	}
	return out, nil
}

func (n network) SecurityGroupVPCs(region string, ids []string) (map[string]string, error) {
	return n.ec2.SecurityGroupVPCs(region, ids)
}

func (n network) VPCExists(region, id string) bool { return n.ec2.VPCExists(region, id) }

func (n network) DefaultSecurityGroup(region, vpcID string) string {
	return n.ec2.DefaultSecurityGroup(region, vpcID)
}

// AttachTaskInterface and DetachTaskInterface make network the
// reconciler's NetworkInterfaces: the ENI of an awsvpc task, with the
// task's real address and MAC.
func (n network) AttachTaskInterface(region, subnetID string, groups []string, ip, mac, description string) (string, error) {
	eni, err := n.ec2.CreateTaskInterface(region, subnetID, groups, ip, mac, description)
	if err != nil {
		return "", err
	}
	return *eni.NetworkInterfaceId, nil
}

func (n network) DetachTaskInterface(region, eniID string) error {
	return n.ec2.DeleteInterface(region, eniID)
}
