package ec2

import (
	"context"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// maxTags is EC2's limit of tags per resource.
const maxTags = 50

// resourceTypes maps a taggable ID prefix to its resource type.
var resourceTypes = map[string]types.ResourceType{
	"vpc":      types.ResourceTypeVpc,
	"subnet":   types.ResourceTypeSubnet,
	"sg":       types.ResourceTypeSecurityGroup,
	"sgr":      types.ResourceTypeSecurityGroupRule,
	"igw":      types.ResourceTypeInternetGateway,
	"rtb":      types.ResourceTypeRouteTable,
	"nat":      types.ResourceTypeNatgateway,
	"eipalloc": types.ResourceTypeElasticIp,
	"vpce":     types.ResourceTypeVpcEndpoint,
	"eni":      types.ResourceTypeNetworkInterface,
	"i":        types.ResourceTypeInstance,
	"key":      types.ResourceTypeKeyPair,
	"dopt":     types.ResourceTypeDhcpOptions,
	"acl":      types.ResourceTypeNetworkAcl,
}

// idPrefix is the kind part of an ID ("vpc" of "vpc-0a1b…").
func idPrefix(id string) string {
	p, _, _ := strings.Cut(id, "-")
	return p
}

// resourceType finds a taggable resource: its type, or EC2's error for an
// ID that is not one or does not exist.
func (s *Store) resourceType(id string) (types.ResourceType, error) {
	prefix := idPrefix(id)
	rt, ok := resourceTypes[prefix]
	if !ok || !wellFormed(prefix, id) {
		return "", errorf("InvalidID", "The ID '%s' is not valid", id)
	}
	if !s.exists(prefix, id) {
		return "", errNotFound(prefix, id)
	}
	return rt, nil
}

func (s *Store) exists(prefix, id string) bool {
	switch prefix {
	case "vpc":
		_, ok := s.vpcs[id]
		return ok
	case "subnet":
		_, ok := s.subnets[id]
		return ok
	case "sg":
		_, ok := s.groups[id]
		return ok
	case "sgr":
		_, _, ok := s.findRule(id)
		return ok
	case "igw":
		_, ok := s.igws[id]
		return ok
	case "rtb":
		_, ok := s.rtbs[id]
		return ok
	case "nat":
		_, ok := s.nats[id]
		return ok
	case "eipalloc":
		_, ok := s.eips[id]
		return ok
	case "vpce":
		_, ok := s.endpoints[id]
		return ok
	case "eni":
		_, ok := s.enis[id]
		return ok
	case "i":
		_, ok := s.instances[id]
		return ok
	case "key":
		return s.keyByID(id) != nil
	case "dopt":
		return id == s.dhcp
	case "acl":
		return slices.ContainsFunc(s.vpcList(), func(v *vpcRecord) bool { return v.networkACL == id })
	}
	return false
}

func (s *Store) vpcList() []*vpcRecord {
	out, _ := selectIDs(s, s.vpcs, "vpc", nil)
	return out
}

// checkTags validates tags to add to a resource that has have of them.
func checkTags(tags []types.Tag, have []types.Tag) error {
	keys := map[string]bool{}
	for _, t := range have {
		keys[deref(t.Key)] = true
	}
	for _, t := range tags {
		k := deref(t.Key)
		switch {
		case k == "":
			return errInvalidParameterValue("Tag key cannot be empty")
		case len(k) > 128:
			return errInvalidParameterValue("Tag key exceeds the maximum length of 128 characters")
		case len(deref(t.Value)) > 256:
			return errInvalidParameterValue("Tag value exceeds the maximum length of 256 characters")
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			return errInvalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use")
		}
		keys[k] = true
	}
	if len(keys) > maxTags {
		return errorf("TagLimitExceeded", "The maximum number of Tags for a resource has been reached.")
	}
	return nil
}

// tagsFor picks the tags of a create call's TagSpecifications meant for
// resource type rt. A specification for a type the call does not create
// is an error, as on EC2.
func tagsFor(specs []types.TagSpecification, rt ...types.ResourceType) (map[types.ResourceType][]types.Tag, error) {
	out := map[types.ResourceType][]types.Tag{}
	for _, spec := range specs {
		if !slices.Contains(rt, spec.ResourceType) {
			return nil, errInvalidParameterValue("'%s' is not a valid taggable resource type for this operation.", spec.ResourceType)
		}
		if err := checkTags(spec.Tags, out[spec.ResourceType]); err != nil {
			return nil, err
		}
		out[spec.ResourceType] = append(out[spec.ResourceType], spec.Tags...)
	}
	return out, nil
}

// specTags is tagsFor for a call creating one resource type.
func specTags(specs []types.TagSpecification, rt types.ResourceType) ([]types.Tag, error) {
	m, err := tagsFor(specs, rt)
	return m[rt], err
}

// addTags sets tags on a resource, replacing the values of keys it has.
func (s *Store) addTags(id string, tags []types.Tag) {
	if len(tags) > 0 {
		s.touch(id)
	}
	cur := s.tags[id]
	for _, t := range tags {
		k, v := deref(t.Key), deref(t.Value)
		i := slices.IndexFunc(cur, func(c types.Tag) bool { return deref(c.Key) == k })
		if i >= 0 {
			cur[i].Value = ptr(v)
			continue
		}
		cur = append(cur, types.Tag{Key: ptr(k), Value: ptr(v)})
	}
	slices.SortFunc(cur, func(a, b types.Tag) int { return strings.Compare(*a.Key, *b.Key) })
	if len(cur) > 0 {
		s.tags[id] = cur
	}
}

// tagsOf is a copy of a resource's tags, nil when it has none.
func (s *Store) tagsOf(id string) []types.Tag {
	cur := s.tags[id]
	if len(cur) == 0 {
		return nil
	}
	out := make([]types.Tag, len(cur))
	for i, t := range cur {
		out[i] = types.Tag{Key: ptr(*t.Key), Value: ptr(*t.Value)}
	}
	return out
}

// CreateTags adds or overwrites tags on resources.
func (s *Store) CreateTags(_ context.Context, in *ec2.CreateTagsInput) (*ec2.CreateTagsOutput, error) {
	if len(in.Resources) == 0 {
		return nil, errMissing("resourceIdSet")
	}
	if len(in.Tags) == 0 {
		return nil, errMissing("tagSet")
	}
	return &ec2.CreateTagsOutput{}, s.write(func() error {
		for _, id := range in.Resources {
			if _, err := s.resourceType(id); err != nil {
				return err
			}
			if err := checkTags(in.Tags, s.tags[id]); err != nil {
				return err
			}
		}
		for _, id := range in.Resources {
			s.addTags(id, in.Tags)
		}
		return nil
	})
}

// DeleteTags removes tags: a tag given with a value is removed only when
// the resource's value is that one (an empty value included); one given
// without a value is removed whatever its value; no tags at all removes
// every tag.
func (s *Store) DeleteTags(_ context.Context, in *ec2.DeleteTagsInput) (*ec2.DeleteTagsOutput, error) {
	if len(in.Resources) == 0 {
		return nil, errMissing("resourceIdSet")
	}
	return &ec2.DeleteTagsOutput{}, s.write(func() error {
		for _, id := range in.Resources {
			if _, err := s.resourceType(id); err != nil {
				return err
			}
		}
		for _, id := range in.Resources {
			s.touch(id)
			s.tags[id] = slices.DeleteFunc(s.tags[id], func(t types.Tag) bool { return tagDeleted(t, in.Tags) })
			if len(s.tags[id]) == 0 {
				delete(s.tags, id)
			}
		}
		return nil
	})
}

func tagDeleted(t types.Tag, asked []types.Tag) bool {
	if len(asked) == 0 {
		return true
	}
	return slices.ContainsFunc(asked, func(a types.Tag) bool {
		return deref(a.Key) == deref(t.Key) && (a.Value == nil || *a.Value == deref(t.Value))
	})
}

var tagFilters = filterSet[types.TagDescription]{
	"key":           func(t types.TagDescription) []string { return strv(t.Key) },
	"value":         func(t types.TagDescription) []string { return strv(t.Value) },
	"resource-id":   func(t types.TagDescription) []string { return strv(t.ResourceId) },
	"resource-type": func(t types.TagDescription) []string { return one(string(t.ResourceType)) },
}

// DescribeTags lists tags of every resource, in creation order of the
// resources and key order within one.
func (s *Store) DescribeTags(_ context.Context, in *ec2.DescribeTagsInput) (*ec2.DescribeTagsOutput, error) {
	s.lock()
	defer s.unlock()
	ids := make([]string, 0, len(s.tags))
	for id := range s.tags {
		ids = append(ids, id)
	}
	s.sortIDs(ids)
	var all []types.TagDescription
	for _, id := range ids {
		rt := resourceTypes[idPrefix(id)]
		for _, t := range s.tags[id] {
			all = append(all, types.TagDescription{ResourceId: ptr(id), ResourceType: rt, Key: ptr(*t.Key), Value: ptr(*t.Value)})
		}
	}
	got, err := filterItems(s, tagFilters, in.Filters, all, func(t types.TagDescription) string { return *t.ResourceId })
	if err != nil {
		return nil, err
	}
	pg, next, err := page(got, in.NextToken, in.MaxResults, 5, 1000)
	if err != nil {
		return nil, err
	}
	return &ec2.DescribeTagsOutput{Tags: pg, NextToken: next}, nil
}
