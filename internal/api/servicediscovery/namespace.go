package servicediscovery

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/localaws/ecsemu/internal/clone"
)

// defaultSOATTL is the SOA TTL of a DNS namespace created without one:
// 15 seconds, the default the Cloud Map console offers.
const defaultSOATTL = 15

// namespaceRequest is what the three Create*Namespace calls have in common.
type namespaceRequest struct {
	typ              types.NamespaceType
	name             *string
	vpc              *string
	creatorRequestID *string
	description      *string
	soa              *types.SOA
	tags             []types.Tag
}

func (s *Store) CreateHttpNamespace(_ context.Context, in *sd.CreateHttpNamespaceInput) (*sd.CreateHttpNamespaceOutput, error) {
	id, err := s.createNamespace(namespaceRequest{
		typ: types.NamespaceTypeHttp, name: in.Name, creatorRequestID: in.CreatorRequestId,
		description: in.Description, tags: in.Tags,
	})
	if err != nil {
		return nil, err
	}
	return &sd.CreateHttpNamespaceOutput{OperationId: &id}, nil
}

func (s *Store) CreatePrivateDnsNamespace(_ context.Context, in *sd.CreatePrivateDnsNamespaceInput) (*sd.CreatePrivateDnsNamespaceOutput, error) {
	req := namespaceRequest{
		typ: types.NamespaceTypeDnsPrivate, name: in.Name, vpc: in.Vpc, creatorRequestID: in.CreatorRequestId,
		description: in.Description, tags: in.Tags,
	}
	if in.Vpc == nil || *in.Vpc == "" {
		return nil, errRequired("vpc")
	}
	if in.Properties != nil && in.Properties.DnsProperties != nil {
		req.soa = in.Properties.DnsProperties.SOA
		if req.soa == nil {
			return nil, errRequired("properties.dnsProperties.SOA")
		}
	}
	id, err := s.createNamespace(req)
	if err != nil {
		return nil, err
	}
	return &sd.CreatePrivateDnsNamespaceOutput{OperationId: &id}, nil
}

func (s *Store) CreatePublicDnsNamespace(_ context.Context, in *sd.CreatePublicDnsNamespaceInput) (*sd.CreatePublicDnsNamespaceOutput, error) {
	req := namespaceRequest{
		typ: types.NamespaceTypeDnsPublic, name: in.Name, creatorRequestID: in.CreatorRequestId,
		description: in.Description, tags: in.Tags,
	}
	if in.Properties != nil && in.Properties.DnsProperties != nil {
		req.soa = in.Properties.DnsProperties.SOA
		if req.soa == nil {
			return nil, errRequired("properties.dnsProperties.SOA")
		}
	}
	id, err := s.createNamespace(req)
	if err != nil {
		return nil, err
	}
	return &sd.CreatePublicDnsNamespaceOutput{OperationId: &id}, nil
}

// createNamespace validates, creates the namespace at once and returns the
// ID of its CREATE_NAMESPACE operation.
func (s *Store) createNamespace(req namespaceRequest) (string, error) {
	if err := validNamespaceName(req.typ, req.name); err != nil {
		return "", err
	}
	for _, c := range []struct {
		p      *string
		member string
		max    int
	}{{req.vpc, "vpc", 64}, {req.creatorRequestID, "creatorRequestId", 64}, {req.description, "description", 1024}} {
		if err := validLength(c.p, c.member, c.max); err != nil {
			return "", err
		}
	}
	ttl := int64(defaultSOATTL)
	if req.soa != nil {
		if err := validTTL(req.soa.TTL, "properties.dnsProperties.SOA.TTL"); err != nil {
			return "", err
		}
		ttl = *req.soa.TTL
	}
	tags, err := initialTags(req.tags, *req.name)
	if err != nil {
		return "", err
	}

	unlock := s.lock()
	defer unlock()
	name, creator := *req.name, deref(req.creatorRequestID)
	for _, ns := range s.namespaces {
		if !namespacesClash(ns, req.typ, name, deref(req.vpc)) {
			continue
		}
		if op, ok := s.operations[ns.createOp]; ok && creator != "" && deref(ns.CreatorRequestId) == creator && op.inProgress(s.now()) {
			return "", errDuplicateRequest(op.id)
		}
		return "", errNamespaceAlreadyExists(ns)
	}
	if len(s.namespaces) >= maxNamespaces {
		return "", errResourceLimitExceeded("The namespace limit of %d per Region has been reached", maxNamespaces)
	}

	id := s.ids.NamespaceID()
	if req.typ == types.NamespaceTypeDnsPrivate && s.vpcExists != nil && !s.vpcExists(s.region, *req.vpc) {
		return s.failedNamespace(id, creator, *req.vpc), nil
	}
	ns := &namespace{
		Namespace: types.Namespace{
			Id:               ptr(id),
			Arn:              ptr(namespaceARN(s.region, s.account, id)),
			Name:             ptr(name),
			Type:             req.typ,
			Description:      clone.Of(req.description),
			CreateDate:       ptr(s.timestamp()),
			CreatorRequestId: clone.Of(req.creatorRequestID),
			ResourceOwner:    ptr(s.account),
			Properties: &types.NamespaceProperties{
				DnsProperties:  &types.DnsProperties{},
				HttpProperties: &types.HttpProperties{HttpName: ptr(s.httpName(name))},
			},
		},
		vpc: deref(req.vpc),
		seq: s.nextSeq(),
	}
	if ns.isDNS() {
		ns.Properties.DnsProperties = &types.DnsProperties{HostedZoneId: ptr(s.ids.HostedZoneID()), SOA: &types.SOA{TTL: ptr(ttl)}}
	}
	s.namespaces[id] = ns
	s.touch(kindNamespace, id)
	s.setTags(*ns.Arn, tags)
	ns.createOp = s.newOperation(types.OperationTypeCreateNamespace, map[string]string{string(types.OperationTargetTypeNamespace): id}, id, "", creator)
	s.dnsChangedIn(ns)
	return ns.createOp, nil
}

// failedNamespace records the CREATE_NAMESPACE operation of a private
// namespace whose VPC EC2 does not know: Route 53 refuses the hosted zone,
// so the operation ends in FAIL with Route 53's words and the namespace
// never exists. Callers hold the lock.
func (s *Store) failedNamespace(id, creator, vpc string) string {
	opID := s.newOperation(types.OperationTypeCreateNamespace, map[string]string{string(types.OperationTargetTypeNamespace): id}, id, "", creator)
	s.operations[opID].failure = &operationFailure{
		code: "CANNOT_CREATE_HOSTED_ZONE",
		message: fmt.Sprintf("The VPC: %s in region %s that you provided is not authorized to make the association. "+
			"(Service: AmazonRoute53; Status Code: 400; Error Code: InvalidVPCId)", vpc, s.region),
	}
	return opID
}

// namespacesClash reports whether a new namespace would be a duplicate of
// ns: HTTP names are unique among all namespaces' HTTP names; a private
// DNS name is unique per VPC and a public one among public namespaces
// (domain names compare case-insensitively, without a final dot).
func namespacesClash(ns *namespace, typ types.NamespaceType, name, vpc string) bool {
	switch typ {
	case types.NamespaceTypeHttp:
		return httpNameOf(ns) == name
	case types.NamespaceTypeDnsPrivate:
		return ns.Type == typ && ns.vpc == vpc && sameDomain(deref(ns.Name), name)
	default:
		return ns.Type == typ && sameDomain(deref(ns.Name), name)
	}
}

func sameDomain(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}

func httpNameOf(ns *namespace) string {
	if ns.Properties == nil || ns.Properties.HttpProperties == nil {
		return ""
	}
	return deref(ns.Properties.HttpProperties.HttpName)
}

// httpName is the HttpName of a new namespace: its name, or, when another
// namespace already uses that HTTP name (a DNS name reused in another VPC),
// the name with a generated suffix, as AWS does. Callers hold the lock.
func (s *Store) httpName(name string) string {
	taken := func(n string) bool {
		for _, ns := range s.namespaces {
			if httpNameOf(ns) == n {
				return true
			}
		}
		return false
	}
	n := name
	for taken(n) {
		n = name + "-" + randomString(lowerAlnum, 8)
	}
	return n
}

// namespaceView is the wire view of a namespace with its live service
// count. Callers hold the lock.
func (s *Store) namespaceView(ns *namespace) *types.Namespace {
	v := clone.Of(ns.Namespace)
	v.ServiceCount = ptr(int32(s.serviceCount(deref(ns.Id))))
	return &v
}

func (s *Store) serviceCount(namespaceID string) int {
	n := 0
	for _, svc := range s.services {
		if deref(svc.NamespaceId) == namespaceID {
			n++
		}
	}
	return n
}

func (s *Store) GetNamespace(_ context.Context, in *sd.GetNamespaceInput) (*sd.GetNamespaceOutput, error) {
	if err := validRequiredID(in.Id, "id"); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	ns, err := s.lookupNamespace(*in.Id)
	if err != nil {
		return nil, err
	}
	return &sd.GetNamespaceOutput{Namespace: s.namespaceView(ns)}, nil
}

// namespaceMatch is one ListNamespaces filter.
type namespaceMatch func(ns *namespace) bool

// namespaceFilters checks ListNamespaces filters: TYPE, NAME and HTTP_NAME
// with EQ (the default) or BEGINS_WITH, RESOURCE_OWNER (SELF or
// OTHER_ACCOUNTS) with EQ; always exactly one value.
func (s *Store) namespaceFilters(filters []types.NamespaceFilter) ([]namespaceMatch, error) {
	var out []namespaceMatch
	for _, f := range filters {
		cond := f.Condition
		if cond == "" {
			cond = types.FilterConditionEq
		}
		if len(f.Values) != 1 {
			return nil, errInvalidInput("Namespace filter %s takes exactly one value, got %d", f.Name, len(f.Values))
		}
		v := f.Values[0]
		var field func(ns *namespace) string
		switch f.Name {
		case types.NamespaceFilterNameType:
			t := types.NamespaceType(v)
			if cond == types.FilterConditionEq && !slices.Contains(t.Values(), t) {
				return nil, errValidation(v, "filters.member.values", "Member must satisfy enum value set: [DNS_PUBLIC, DNS_PRIVATE, HTTP]")
			}
			field = func(ns *namespace) string { return string(ns.Type) }
		case types.NamespaceFilterNameName:
			field = func(ns *namespace) string { return deref(ns.Name) }
		case types.NamespaceFilterNameHttpName:
			field = httpNameOf
		case types.NamespaceFilterNameResourceOwner:
			if cond != types.FilterConditionEq {
				return nil, errInvalidInput("Namespace filter RESOURCE_OWNER supports only the EQ condition, not %s", cond)
			}
			if v != "SELF" && v != "OTHER_ACCOUNTS" {
				return nil, errInvalidInput("Namespace filter RESOURCE_OWNER takes SELF or OTHER_ACCOUNTS, not %s", v)
			}
			self := v == "SELF" // no namespace is shared with this account
			out = append(out, func(*namespace) bool { return self })
			continue
		default:
			return nil, errValidation(f.Name, "filters.member.name", "Member must satisfy enum value set: [TYPE, NAME, HTTP_NAME, RESOURCE_OWNER]")
		}
		switch cond {
		case types.FilterConditionEq:
			out = append(out, func(ns *namespace) bool { return field(ns) == v })
		case types.FilterConditionBeginsWith:
			out = append(out, func(ns *namespace) bool { return strings.HasPrefix(field(ns), v) })
		default:
			return nil, errInvalidInput("Namespace filter %s supports only the EQ and BEGINS_WITH conditions, not %s", f.Name, cond)
		}
	}
	return out, nil
}

// sortedNamespaces returns the namespaces in creation order. Callers hold
// the lock.
func (s *Store) sortedNamespaces() []*namespace {
	out := make([]*namespace, 0, len(s.namespaces))
	for _, ns := range s.namespaces {
		out = append(out, ns)
	}
	slices.SortFunc(out, func(a, b *namespace) int { return cmp.Compare(a.seq, b.seq) })
	return out
}

func (s *Store) ListNamespaces(_ context.Context, in *sd.ListNamespacesInput) (*sd.ListNamespacesOutput, error) {
	matches, err := s.namespaceFilters(in.Filters)
	if err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	var out []types.NamespaceSummary
next:
	for _, ns := range s.sortedNamespaces() {
		for _, m := range matches {
			if !m(ns) {
				continue next
			}
		}
		v := s.namespaceView(ns)
		out = append(out, types.NamespaceSummary{
			Arn: v.Arn, CreateDate: v.CreateDate, Description: v.Description, Id: v.Id, Name: v.Name,
			Properties: v.Properties, ResourceOwner: v.ResourceOwner, ServiceCount: v.ServiceCount, Type: v.Type,
		})
	}
	pg, token, err := page(out, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	return &sd.ListNamespacesOutput{Namespaces: nonNil(pg), NextToken: token}, nil
}

func (s *Store) DeleteNamespace(_ context.Context, in *sd.DeleteNamespaceInput) (*sd.DeleteNamespaceOutput, error) {
	if err := validRequiredID(in.Id, "id"); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	ns, err := s.lookupNamespace(*in.Id)
	if err != nil {
		return nil, err
	}
	id := deref(ns.Id)
	if n := s.serviceCount(id); n > 0 {
		return nil, errResourceInUse("Namespace %s has %d associated services; delete them first", id, n)
	}
	delete(s.namespaces, id)
	delete(s.tags, deref(ns.Arn))
	s.touch(kindNamespace, id)
	s.dnsChangedIn(ns)
	opID := s.newOperation(types.OperationTypeDeleteNamespace, map[string]string{string(types.OperationTargetTypeNamespace): id}, id, "", "")
	return &sd.DeleteNamespaceOutput{OperationId: &opID}, nil
}

// namespaceChange is what the three Update*Namespace calls have in common.
type namespaceChange struct {
	typ              types.NamespaceType
	id               *string
	updaterRequestID *string
	description      *string
	soa              *types.SOAChange
}

func (s *Store) UpdateHttpNamespace(_ context.Context, in *sd.UpdateHttpNamespaceInput) (*sd.UpdateHttpNamespaceOutput, error) {
	if in.Namespace == nil {
		return nil, errRequired("namespace")
	}
	if in.Namespace.Description == nil {
		return nil, errRequired("namespace.description")
	}
	id, err := s.updateNamespace(namespaceChange{
		typ: types.NamespaceTypeHttp, id: in.Id, updaterRequestID: in.UpdaterRequestId, description: in.Namespace.Description,
	})
	if err != nil {
		return nil, err
	}
	return &sd.UpdateHttpNamespaceOutput{OperationId: &id}, nil
}

func (s *Store) UpdatePrivateDnsNamespace(_ context.Context, in *sd.UpdatePrivateDnsNamespaceInput) (*sd.UpdatePrivateDnsNamespaceOutput, error) {
	if in.Namespace == nil {
		return nil, errRequired("namespace")
	}
	c := namespaceChange{typ: types.NamespaceTypeDnsPrivate, id: in.Id, updaterRequestID: in.UpdaterRequestId, description: in.Namespace.Description}
	if p := in.Namespace.Properties; p != nil {
		if p.DnsProperties == nil {
			return nil, errRequired("namespace.properties.dnsProperties")
		}
		if p.DnsProperties.SOA == nil {
			return nil, errRequired("namespace.properties.dnsProperties.SOA")
		}
		c.soa = p.DnsProperties.SOA
	}
	id, err := s.updateNamespace(c)
	if err != nil {
		return nil, err
	}
	return &sd.UpdatePrivateDnsNamespaceOutput{OperationId: &id}, nil
}

func (s *Store) UpdatePublicDnsNamespace(_ context.Context, in *sd.UpdatePublicDnsNamespaceInput) (*sd.UpdatePublicDnsNamespaceOutput, error) {
	if in.Namespace == nil {
		return nil, errRequired("namespace")
	}
	c := namespaceChange{typ: types.NamespaceTypeDnsPublic, id: in.Id, updaterRequestID: in.UpdaterRequestId, description: in.Namespace.Description}
	if p := in.Namespace.Properties; p != nil {
		if p.DnsProperties == nil {
			return nil, errRequired("namespace.properties.dnsProperties")
		}
		if p.DnsProperties.SOA == nil {
			return nil, errRequired("namespace.properties.dnsProperties.SOA")
		}
		c.soa = p.DnsProperties.SOA
	}
	id, err := s.updateNamespace(c)
	if err != nil {
		return nil, err
	}
	return &sd.UpdatePublicDnsNamespaceOutput{OperationId: &id}, nil
}

// updateNamespace applies a change at once and returns the ID of its
// UPDATE_NAMESPACE operation.
func (s *Store) updateNamespace(c namespaceChange) (string, error) {
	if err := validRequiredID(c.id, "id"); err != nil {
		return "", err
	}
	if err := validLength(c.updaterRequestID, "updaterRequestId", 64); err != nil {
		return "", err
	}
	if err := validLength(c.description, "namespace.description", 1024); err != nil {
		return "", err
	}
	if c.soa != nil {
		if err := validTTL(c.soa.TTL, "namespace.properties.dnsProperties.SOA.TTL"); err != nil {
			return "", err
		}
	}
	unlock := s.lock()
	defer unlock()
	ns, err := s.lookupNamespace(*c.id)
	if err != nil {
		return "", err
	}
	id := deref(ns.Id)
	if ns.Type != c.typ {
		return "", errInvalidInput("Namespace %s is of type %s, not %s", id, ns.Type, c.typ)
	}
	updater := deref(c.updaterRequestID)
	if op := s.inFlight(types.OperationTypeUpdateNamespace, updater, string(types.OperationTargetTypeNamespace), id); op != nil {
		return "", errDuplicateRequest(op.id)
	}
	s.touch(kindNamespace, id)
	if c.description != nil {
		ns.Description = ptr(*c.description)
	}
	if c.soa != nil {
		ns.Properties.DnsProperties.SOA = &types.SOA{TTL: ptr(*c.soa.TTL)}
		s.dnsChangedIn(ns)
	}
	return s.newOperation(types.OperationTypeUpdateNamespace, map[string]string{string(types.OperationTargetTypeNamespace): id}, id, "", updater), nil
}
