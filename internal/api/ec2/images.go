package ec2

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// amazonOwner is the account that owns Amazon's public images.
const amazonOwner = "137112412989"

// imagesOf are a few public Amazon Linux records per region (IDs derived
// from the region), so that image lookups find something. RunInstances
// accepts any well-formed image ID: stacks name AMIs found elsewhere.
func imagesOf(region string) []types.Image {
	mk := func(name, arch, desc string) types.Image {
		return types.Image{
			ImageId: ptr(stableID("ami", region, name)), Name: ptr(name), Description: ptr(desc), OwnerId: ptr(amazonOwner),
			ImageOwnerAlias: ptr("amazon"), Public: ptr(true), State: types.ImageStateAvailable, Architecture: types.ArchitectureValues(arch),
			ImageType: types.ImageTypeValuesMachine, RootDeviceType: types.DeviceTypeEbs, RootDeviceName: ptr("/dev/xvda"),
			VirtualizationType: types.VirtualizationTypeHvm, Hypervisor: types.HypervisorTypeXen, EnaSupport: ptr(true),
			CreationDate: ptr("2025-01-01T00:00:00.000Z"), PlatformDetails: ptr("Linux/UNIX"), UsageOperation: ptr("RunInstances"),
			ImageLocation: ptr("amazon/" + name), BlockDeviceMappings: []types.BlockDeviceMapping{},
		}
	}
	return []types.Image{
		mk("al2023-ami-2023.6.20250101.0-kernel-6.1-x86_64", "x86_64", "Amazon Linux 2023 AMI 2023.6.20250101.0 x86_64 HVM kernel-6.1"),
		mk("al2023-ami-2023.6.20250101.0-kernel-6.1-arm64", "arm64", "Amazon Linux 2023 AMI 2023.6.20250101.0 arm64 HVM kernel-6.1"),
		mk("amzn2-ami-ecs-hvm-2.0.20250101-x86_64-ebs", "x86_64", "Amazon Linux AMI 2.0.20250101 x86_64 ECS HVM GP2"),
	}
}

var imageFilters = filterSet[types.Image]{
	"image-id":            func(i types.Image) []string { return strv(i.ImageId) },
	"name":                func(i types.Image) []string { return strv(i.Name) },
	"description":         func(i types.Image) []string { return strv(i.Description) },
	"owner-id":            func(i types.Image) []string { return strv(i.OwnerId) },
	"owner-alias":         func(i types.Image) []string { return strv(i.ImageOwnerAlias) },
	"architecture":        func(i types.Image) []string { return one(string(i.Architecture)) },
	"state":               func(i types.Image) []string { return one(string(i.State)) },
	"is-public":           func(i types.Image) []string { return boolv(i.Public) },
	"image-type":          func(i types.Image) []string { return one(string(i.ImageType)) },
	"root-device-type":    func(i types.Image) []string { return one(string(i.RootDeviceType)) },
	"virtualization-type": func(i types.Image) []string { return one(string(i.VirtualizationType)) },
}

// DescribeImages lists the region's public image records.
func (s *Store) DescribeImages(_ context.Context, in *ec2.DescribeImagesInput) (*ec2.DescribeImagesOutput, error) {
	all := imagesOf(s.region)
	for _, id := range in.ImageIds {
		if err := checkID("ami", id); err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(all, func(i types.Image) bool { return *i.ImageId == id }) {
			return nil, errNotFound("ami", id)
		}
	}
	all = slices.DeleteFunc(all, func(i types.Image) bool {
		if len(in.ImageIds) > 0 && !slices.Contains(in.ImageIds, *i.ImageId) {
			return true
		}
		return len(in.Owners) > 0 && !slices.Contains(in.Owners, "amazon") && !slices.Contains(in.Owners, amazonOwner)
	})
	got, err := filterItems(s, imageFilters, in.Filters, all, func(i types.Image) string { return *i.ImageId })
	if err != nil {
		return nil, err
	}
	pg, next, err := page(got, in.NextToken, in.MaxResults, 5, 1000)
	if err != nil {
		return nil, err
	}
	if pg == nil {
		pg = []types.Image{}
	}
	return &ec2.DescribeImagesOutput{Images: pg, NextToken: next}, nil
}
