package ec2

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// regions are the regions DescribeRegions lists (those without opt-in).
var regions = []string{
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
	"ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
	"us-east-1", "us-east-2", "us-west-1", "us-west-2",
}

// zone is one availability zone of a region.
type zone struct{ name, id string }

// zonesOf lists a region's zones: a to f in us-east-1, a to c elsewhere,
// with zone IDs like AWS's (use1-az1, euw1-az2).
func zonesOf(region string) []zone {
	n := 3
	if region == "us-east-1" {
		n = 6
	}
	out := make([]zone, n)
	for i := range n {
		out[i] = zone{name: region + string(rune('a'+i)), id: zoneIDPrefix(region) + "-az" + string(rune('1'+i))}
	}
	return out
}

// zoneIDPrefix abbreviates a region as zone IDs do: us-east-1 → use1,
// ap-southeast-2 → apse2, ca-central-1 → cac1.
func zoneIDPrefix(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) != 3 {
		return strings.ReplaceAll(region, "-", "")
	}
	dir := parts[1]
	abbrev := map[string]string{"central": "c", "northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw"}[dir]
	if abbrev == "" {
		abbrev = dir[:1]
	}
	return parts[0] + abbrev + parts[2]
}

// zoneByName finds a zone of the store's region by name or ID.
func (s *Store) zoneBy(name, id string) (zone, bool) {
	i := slices.IndexFunc(zonesOf(s.region), func(z zone) bool { return (name != "" && z.name == name) || (id != "" && z.id == id) })
	if i < 0 {
		return zone{}, false
	}
	return zonesOf(s.region)[i], true
}

func (s *Store) zoneOf(name string) zone {
	z, _ := s.zoneBy(name, "")
	return z
}

var zoneFilters = filterSet[types.AvailabilityZone]{
	"zone-name":            func(z types.AvailabilityZone) []string { return strv(z.ZoneName) },
	"zone-id":              func(z types.AvailabilityZone) []string { return strv(z.ZoneId) },
	"region-name":          func(z types.AvailabilityZone) []string { return strv(z.RegionName) },
	"state":                func(z types.AvailabilityZone) []string { return one(string(z.State)) },
	"zone-type":            func(z types.AvailabilityZone) []string { return strv(z.ZoneType) },
	"group-name":           func(z types.AvailabilityZone) []string { return strv(z.GroupName) },
	"opt-in-status":        func(z types.AvailabilityZone) []string { return one(string(z.OptInStatus)) },
	"network-border-group": func(z types.AvailabilityZone) []string { return strv(z.NetworkBorderGroup) },
}

// DescribeAvailabilityZones lists the region's zones.
func (s *Store) DescribeAvailabilityZones(_ context.Context, in *ec2.DescribeAvailabilityZonesInput) (*ec2.DescribeAvailabilityZonesOutput, error) {
	var all []types.AvailabilityZone
	for _, z := range zonesOf(s.region) {
		all = append(all, types.AvailabilityZone{
			ZoneName: ptr(z.name), ZoneId: ptr(z.id), RegionName: ptr(s.region), State: types.AvailabilityZoneStateAvailable,
			OptInStatus: types.AvailabilityZoneOptInStatusOptInNotRequired, ZoneType: ptr("availability-zone"),
			GroupName: ptr(s.region), NetworkBorderGroup: ptr(s.region), GroupLongName: ptr(s.region), Messages: []types.AvailabilityZoneMessage{},
		})
	}
	for _, n := range in.ZoneNames {
		if _, ok := s.zoneBy(n, ""); !ok {
			return nil, errInvalidParameterValue("The zone '%s' does not exist.", n)
		}
	}
	for _, id := range in.ZoneIds {
		if _, ok := s.zoneBy("", id); !ok {
			return nil, errInvalidParameterValue("The zone ID '%s' does not exist.", id)
		}
	}
	all = slices.DeleteFunc(all, func(z types.AvailabilityZone) bool {
		byName := len(in.ZoneNames) > 0 && !slices.Contains(in.ZoneNames, *z.ZoneName)
		byID := len(in.ZoneIds) > 0 && !slices.Contains(in.ZoneIds, *z.ZoneId)
		return byName || byID
	})
	got, err := filterItems(s, zoneFilters, in.Filters, all, func(z types.AvailabilityZone) string { return *z.ZoneName })
	if err != nil {
		return nil, err
	}
	return &ec2.DescribeAvailabilityZonesOutput{AvailabilityZones: got}, nil
}

var regionFilters = filterSet[types.Region]{
	"region-name":   func(r types.Region) []string { return strv(r.RegionName) },
	"endpoint":      func(r types.Region) []string { return strv(r.Endpoint) },
	"opt-in-status": func(r types.Region) []string { return strv(r.OptInStatus) },
}

// DescribeRegions lists the regions the emulator serves (every one).
func (s *Store) DescribeRegions(_ context.Context, in *ec2.DescribeRegionsInput) (*ec2.DescribeRegionsOutput, error) {
	var all []types.Region
	for _, r := range regions {
		if len(in.RegionNames) > 0 && !slices.Contains(in.RegionNames, r) {
			continue
		}
		all = append(all, types.Region{RegionName: ptr(r), Endpoint: ptr("ec2." + r + ".amazonaws.com"), OptInStatus: ptr("opt-in-not-required")})
	}
	for _, n := range in.RegionNames {
		if !slices.Contains(regions, n) {
			return nil, errorf("InvalidParameterValue", "Invalid region: %s", n)
		}
	}
	got, err := filterItems(s, regionFilters, in.Filters, all, func(r types.Region) string { return *r.RegionName })
	if err != nil {
		return nil, err
	}
	return &ec2.DescribeRegionsOutput{Regions: got}, nil
}
