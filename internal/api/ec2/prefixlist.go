package ec2

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// awsPrefixList is one of the AWS-managed prefix lists of gateway
// endpoint services.
type awsPrefixList struct {
	id, name string
	cidrs    []string
}

// prefixListsOf lists a region's S3 and DynamoDB prefix lists; us-east-1
// has AWS's real IDs, other regions IDs derived from the region.
func prefixListsOf(region string) []awsPrefixList {
	id := func(svc, real string) string {
		if region == "us-east-1" {
			return real
		}
		h := sha256.Sum256([]byte(region + "/" + svc))
		return fmt.Sprintf("pl-%x", h[:4])
	}
	return []awsPrefixList{
		{id("s3", "pl-63a5400a"), "com.amazonaws." + region + ".s3", []string{"3.5.0.0/19", "16.182.0.0/16", "52.216.0.0/15", "54.231.0.0/16"}},
		{id("dynamodb", "pl-02cd2c6b"), "com.amazonaws." + region + ".dynamodb", []string{"3.218.180.0/22", "52.94.0.0/22", "52.119.224.0/20"}},
	}
}

func knownPrefixList(region, id string) bool {
	return slices.ContainsFunc(prefixListsOf(region), func(p awsPrefixList) bool { return p.id == id })
}

// prefixListFor is the prefix list of a gateway endpoint service.
func prefixListFor(region, service string) (awsPrefixList, bool) {
	i := slices.IndexFunc(prefixListsOf(region), func(p awsPrefixList) bool { return p.name == service })
	if i < 0 {
		return awsPrefixList{}, false
	}
	return prefixListsOf(region)[i], true
}

// selectPrefixLists picks lists by ID, every ID known.
func (s *Store) selectPrefixLists(ids []string) ([]awsPrefixList, error) {
	all := prefixListsOf(s.region)
	if len(ids) == 0 {
		return all, nil
	}
	var out []awsPrefixList
	for _, id := range ids {
		i := slices.IndexFunc(all, func(p awsPrefixList) bool { return p.id == id })
		if i < 0 {
			return nil, errNotFound("pl", id)
		}
		out = append(out, all[i])
	}
	return out, nil
}

var prefixListFilters = filterSet[types.PrefixList]{
	"prefix-list-id":   func(p types.PrefixList) []string { return strv(p.PrefixListId) },
	"prefix-list-name": func(p types.PrefixList) []string { return strv(p.PrefixListName) },
}

// DescribePrefixLists lists the AWS service prefix lists.
func (s *Store) DescribePrefixLists(_ context.Context, in *ec2.DescribePrefixListsInput) (*ec2.DescribePrefixListsOutput, error) {
	lists, err := s.selectPrefixLists(in.PrefixListIds)
	if err != nil {
		return nil, err
	}
	var all []types.PrefixList
	for _, p := range lists {
		all = append(all, types.PrefixList{PrefixListId: ptr(p.id), PrefixListName: ptr(p.name), Cidrs: slices.Clone(p.cidrs)})
	}
	got, err := filterItems(s, prefixListFilters, in.Filters, all, func(p types.PrefixList) string { return *p.PrefixListId })
	if err != nil {
		return nil, err
	}
	pg, next, err := page(got, in.NextToken, in.MaxResults, 5, 1000)
	if err != nil {
		return nil, err
	}
	return &ec2.DescribePrefixListsOutput{PrefixLists: pg, NextToken: next}, nil
}

var managedPrefixListFilters = filterSet[types.ManagedPrefixList]{
	"owner-id":         func(p types.ManagedPrefixList) []string { return strv(p.OwnerId) },
	"prefix-list-id":   func(p types.ManagedPrefixList) []string { return strv(p.PrefixListId) },
	"prefix-list-name": func(p types.ManagedPrefixList) []string { return strv(p.PrefixListName) },
}

// DescribeManagedPrefixLists lists the same AWS-managed lists as managed
// prefix lists.
func (s *Store) DescribeManagedPrefixLists(_ context.Context, in *ec2.DescribeManagedPrefixListsInput) (*ec2.DescribeManagedPrefixListsOutput, error) {
	lists, err := s.selectPrefixLists(in.PrefixListIds)
	if err != nil {
		return nil, err
	}
	var all []types.ManagedPrefixList
	for _, p := range lists {
		all = append(all, types.ManagedPrefixList{
			PrefixListId: ptr(p.id), PrefixListName: ptr(p.name), AddressFamily: ptr("IPv4"), OwnerId: ptr("AWS"),
			State: types.PrefixListStateCreateComplete, Version: ptr[int64](1),
			PrefixListArn: ptr(fmt.Sprintf("arn:aws:ec2:%s:aws:prefix-list/%s", s.region, p.id)),
		})
	}
	got, err := filterItems(s, managedPrefixListFilters, in.Filters, all, func(p types.ManagedPrefixList) string { return *p.PrefixListId })
	if err != nil {
		return nil, err
	}
	pg, next, err := page(got, in.NextToken, in.MaxResults, 1, 100)
	if err != nil {
		return nil, err
	}
	return &ec2.DescribeManagedPrefixListsOutput{PrefixLists: pg, NextToken: next}, nil
}
