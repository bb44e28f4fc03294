package ec2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

func (s *Store) addInternetGateway(id string) *types.InternetGateway {
	g := &types.InternetGateway{InternetGatewayId: ptr(id), OwnerId: ptr(s.account), Attachments: []types.InternetGatewayAttachment{}}
	s.igws[id] = g
	return g
}

func (s *Store) igwView(g *types.InternetGateway) types.InternetGateway {
	v := clone.Of(*g)
	v.Tags = s.tagsOf(*v.InternetGatewayId)
	return v
}

// attachedVpc is the VPC an internet gateway is attached to, "" if none.
func attachedVpc(g *types.InternetGateway) string {
	if len(g.Attachments) == 0 {
		return ""
	}
	return deref(g.Attachments[0].VpcId)
}

// vpcGateway is the internet gateway attached to a VPC, nil if none.
func (s *Store) vpcGateway(vpc string) *types.InternetGateway {
	for _, g := range s.igws {
		if attachedVpc(g) == vpc {
			return g
		}
	}
	return nil
}

// CreateInternetGateway creates a detached internet gateway.
func (s *Store) CreateInternetGateway(_ context.Context, in *ec2.CreateInternetGatewayInput) (*ec2.CreateInternetGatewayOutput, error) {
	tags, err := specTags(in.TagSpecifications, types.ResourceTypeInternetGateway)
	if err != nil {
		return nil, err
	}
	var out types.InternetGateway
	err = s.write(func() error {
		g := s.addInternetGateway(s.newID("igw"))
		s.addTags(*g.InternetGatewayId, tags)
		out = s.igwView(g)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ec2.CreateInternetGatewayOutput{InternetGateway: &out}, nil
}

// DeleteInternetGateway deletes a detached internet gateway.
func (s *Store) DeleteInternetGateway(_ context.Context, in *ec2.DeleteInternetGatewayInput) (*ec2.DeleteInternetGatewayOutput, error) {
	if in.InternetGatewayId == nil {
		return nil, errMissing("internetGatewayId")
	}
	return &ec2.DeleteInternetGatewayOutput{}, s.write(func() error {
		g, err := lookup(s.igws, "igw", *in.InternetGatewayId)
		if err != nil {
			return err
		}
		if attachedVpc(g) != "" {
			return errDependency("internetGateway", *in.InternetGatewayId)
		}
		delete(s.igws, *in.InternetGatewayId)
		s.forget(*in.InternetGatewayId)
		return nil
	})
}

// AttachInternetGateway attaches a gateway to a VPC; each has at most one.
func (s *Store) AttachInternetGateway(_ context.Context, in *ec2.AttachInternetGatewayInput) (*ec2.AttachInternetGatewayOutput, error) {
	if in.InternetGatewayId == nil {
		return nil, errMissing("internetGatewayId")
	}
	if in.VpcId == nil {
		return nil, errMissing("vpcId")
	}
	return &ec2.AttachInternetGatewayOutput{}, s.write(func() error {
		g, err := lookup(s.igws, "igw", *in.InternetGatewayId)
		if err != nil {
			return err
		}
		if _, err := lookup(s.vpcs, "vpc", *in.VpcId); err != nil {
			return err
		}
		if v := attachedVpc(g); v != "" {
			return errorf("Resource.AlreadyAssociated", "resource %s is already attached to network %s", *in.InternetGatewayId, v)
		}
		if other := s.vpcGateway(*in.VpcId); other != nil {
			return errorf("Resource.AlreadyAssociated", "Network %s already has an internet gateway attached", *in.VpcId)
		}
		g.Attachments = []types.InternetGatewayAttachment{{VpcId: ptr(*in.VpcId), State: types.AttachmentStatus("available")}}
		s.touch(*in.InternetGatewayId)
		return nil
	})
}

// DetachInternetGateway detaches a gateway from its VPC; the VPC must have
// no Elastic IP mapped to an interface.
func (s *Store) DetachInternetGateway(_ context.Context, in *ec2.DetachInternetGatewayInput) (*ec2.DetachInternetGatewayOutput, error) {
	if in.InternetGatewayId == nil {
		return nil, errMissing("internetGatewayId")
	}
	if in.VpcId == nil {
		return nil, errMissing("vpcId")
	}
	return &ec2.DetachInternetGatewayOutput{}, s.write(func() error {
		g, err := lookup(s.igws, "igw", *in.InternetGatewayId)
		if err != nil {
			return err
		}
		if _, err := lookup(s.vpcs, "vpc", *in.VpcId); err != nil {
			return err
		}
		if attachedVpc(g) != *in.VpcId {
			return errorf("Gateway.NotAttached", "resource %s is not attached to network %s", *in.InternetGatewayId, *in.VpcId)
		}
		if s.vpcHasMappedAddress(*in.VpcId) {
			return errorf("DependencyViolation", "Network %s has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.", *in.VpcId)
		}
		g.Attachments = []types.InternetGatewayAttachment{}
		s.touch(*in.InternetGatewayId)
		return nil
	})
}

func (s *Store) vpcHasMappedAddress(vpc string) bool {
	for _, a := range s.eips {
		if a.NetworkInterfaceId == nil {
			continue
		}
		if e, ok := s.enis[*a.NetworkInterfaceId]; ok && *e.VpcId == vpc {
			return true
		}
	}
	return false
}

var igwFilters = filterSet[*types.InternetGateway]{
	"internet-gateway-id": func(g *types.InternetGateway) []string { return strv(g.InternetGatewayId) },
	"owner-id":            func(g *types.InternetGateway) []string { return strv(g.OwnerId) },
	"attachment.vpc-id": func(g *types.InternetGateway) []string {
		if v := attachedVpc(g); v != "" {
			return one(v)
		}
		return nil
	},
	"attachment.state": func(g *types.InternetGateway) []string {
		if attachedVpc(g) != "" {
			return one("available")
		}
		return nil
	},
}

// DescribeInternetGateways lists gateways by ID and filters.
func (s *Store) DescribeInternetGateways(_ context.Context, in *ec2.DescribeInternetGatewaysInput) (*ec2.DescribeInternetGatewaysOutput, error) {
	s.lock()
	defer s.unlock()
	recs, err := selectIDs(s, s.igws, "igw", in.InternetGatewayIds)
	if err != nil {
		return nil, err
	}
	recs, err = filterItems(s, igwFilters, in.Filters, recs, func(g *types.InternetGateway) string { return *g.InternetGatewayId })
	if err != nil {
		return nil, err
	}
	recs, next, err := page(recs, in.NextToken, in.MaxResults, 5, 1000)
	if err != nil {
		return nil, err
	}
	out := make([]types.InternetGateway, 0, len(recs))
	for _, g := range recs {
		out = append(out, s.igwView(g))
	}
	return &ec2.DescribeInternetGatewaysOutput{InternetGateways: out, NextToken: next}, nil
}
