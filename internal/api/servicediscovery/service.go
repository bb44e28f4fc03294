package servicediscovery

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"

	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/localaws/ecsemu/internal/clone"
)

func (s *Store) CreateService(_ context.Context, in *sd.CreateServiceInput) (*sd.CreateServiceOutput, error) {
	if err := validServiceName(in.Name); err != nil {
		return nil, err
	}
	if err := validLength(in.CreatorRequestId, "creatorRequestId", 64); err != nil {
		return nil, err
	}
	if err := validLength(in.Description, "description", 1024); err != nil {
		return nil, err
	}
	nsRef := deref(in.NamespaceId)
	if in.DnsConfig != nil && in.DnsConfig.NamespaceId != nil {
		// The deprecated DnsConfig.NamespaceId still works.
		if nsRef != "" && nsRef != *in.DnsConfig.NamespaceId {
			return nil, errInvalidInput("NamespaceId and DnsConfig.NamespaceId name different namespaces")
		}
		nsRef = *in.DnsConfig.NamespaceId
	}
	if nsRef == "" {
		return nil, errInvalidInput("NamespaceId is required")
	}
	if in.Type != "" && in.Type != types.ServiceTypeOptionHttp {
		return nil, errValidation(in.Type, "type", "Member must satisfy enum value set: [HTTP]")
	}
	if in.HealthCheckConfig != nil && in.HealthCheckCustomConfig != nil {
		return nil, errInvalidInput("Specify either HealthCheckConfig or HealthCheckCustomConfig, not both")
	}
	if err := validHealthCheckConfig(in.HealthCheckConfig); err != nil {
		return nil, err
	}
	if c := in.HealthCheckCustomConfig; c != nil {
		if err := validFailureThreshold(c.FailureThreshold, "healthCheckCustomConfig.failureThreshold"); err != nil {
			return nil, err
		}
	}
	tags, err := initialTags(in.Tags, *in.Name)
	if err != nil {
		return nil, err
	}

	unlock := s.lock()
	defer unlock()
	ns, err := s.lookupNamespace(nsRef)
	if err != nil {
		return nil, err
	}
	nsID := deref(ns.Id)
	typ := types.ServiceTypeDnsHttp
	var dns *types.DnsConfig
	switch {
	case ns.Type == types.NamespaceTypeHttp || in.Type == types.ServiceTypeOptionHttp:
		if in.DnsConfig != nil && len(in.DnsConfig.DnsRecords) > 0 {
			return nil, errInvalidInput("DnsConfig is not allowed for a service whose instances are discovered by API calls only (HTTP namespace or Type HTTP)")
		}
		typ, dns = types.ServiceTypeHttp, &types.DnsConfig{}
	default:
		if in.DnsConfig == nil {
			return nil, errInvalidInput("DnsConfig is required for a service in a DNS namespace unless Type is HTTP")
		}
		if dns, err = newDNSConfig(in.DnsConfig); err != nil {
			return nil, err
		}
	}
	if err := validHealthCheckFor(in.HealthCheckConfig, ns, dns); err != nil {
		return nil, err
	}
	name := *in.Name
	for _, other := range s.services {
		if deref(other.NamespaceId) == nsID && sameServiceName(ns, deref(other.Name), name) {
			return nil, errServiceAlreadyExists(other)
		}
	}
	if s.serviceCount(nsID) >= maxServicesPerNamespace {
		return nil, errResourceLimitExceeded("The limit of %d services per namespace has been reached", maxServicesPerNamespace)
	}

	id := s.ids.ServiceID()
	svc := &service{
		Service: types.Service{
			Id:                ptr(id),
			Arn:               ptr(serviceARN(s.region, s.account, id)),
			Name:              ptr(name),
			NamespaceId:       ptr(nsID),
			Description:       clone.Of(in.Description),
			DnsConfig:         dns,
			Type:              typ,
			HealthCheckConfig: healthCheckConfig(in.HealthCheckConfig),
			CreateDate:        ptr(s.timestamp()),
			CreatorRequestId:  clone.Of(in.CreatorRequestId),
			ResourceOwner:     ptr(s.account),
			CreatedByAccount:  ptr(s.account),
		},
		seq:        s.nextSeq(),
		attributes: map[string]string{},
		instances:  map[string]*instance{},
	}
	if in.HealthCheckCustomConfig != nil {
		// FailureThreshold "is no longer supported and is always set to 1".
		svc.HealthCheckCustomConfig = &types.HealthCheckCustomConfig{FailureThreshold: ptr(int32(1))}
	}
	s.services[id] = svc
	s.touch(kindService, id)
	s.setTags(*svc.Arn, tags)
	if svc.servesDNS() {
		s.dnsChangedIn(ns)
	}
	return &sd.CreateServiceOutput{Service: s.serviceView(svc)}, nil
}

// sameServiceName compares service names: case-insensitively in DNS
// namespaces (the names would be the same DNS name), exactly in HTTP ones.
func sameServiceName(ns *namespace, a, b string) bool {
	if ns.isDNS() {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// newDNSConfig validates a DnsConfig and returns the stored copy: routing
// policy defaulted to MULTIVALUE, the deprecated NamespaceId dropped.
// Record types: CNAME alone, or any of A, AAAA and SRV (AWS's ECS guide:
// "any combination of A or SRV records"), each at most once.
func newDNSConfig(in *types.DnsConfig) (*types.DnsConfig, error) {
	routing := in.RoutingPolicy
	switch routing {
	case "":
		routing = types.RoutingPolicyMultivalue
	case types.RoutingPolicyMultivalue, types.RoutingPolicyWeighted:
	default:
		return nil, errValidation(routing, "dnsConfig.routingPolicy", "Member must satisfy enum value set: [MULTIVALUE, WEIGHTED]")
	}
	if err := validDNSRecords(in.DnsRecords, "dnsConfig.dnsRecords"); err != nil {
		return nil, err
	}
	for _, r := range in.DnsRecords {
		if r.Type == types.RecordTypeCname && routing != types.RoutingPolicyWeighted {
			return nil, errInvalidInput("A CNAME record requires the WEIGHTED routing policy")
		}
	}
	return &types.DnsConfig{RoutingPolicy: routing, DnsRecords: clone.Of(in.DnsRecords)}, nil
}

func validDNSRecords(records []types.DnsRecord, member string) error {
	if len(records) == 0 {
		return errRequired(member)
	}
	seen := map[types.RecordType]bool{}
	for _, r := range records {
		if !slices.Contains(r.Type.Values(), r.Type) {
			return errValidation(r.Type, member+".member.type", "Member must satisfy enum value set: [SRV, A, AAAA, CNAME]")
		}
		if err := validTTL(r.TTL, member+".member.TTL"); err != nil {
			return err
		}
		if seen[r.Type] {
			return errInvalidInput("Record type %s is specified more than once", r.Type)
		}
		seen[r.Type] = true
	}
	if seen[types.RecordTypeCname] && len(records) > 1 {
		return errInvalidInput("A CNAME record cannot be combined with other record types")
	}
	return nil
}

// validHealthCheckConfig checks a Route 53 health check configuration on
// its own: Type required, ResourcePath ≤ 255 and not with TCP,
// FailureThreshold 1–10.
func validHealthCheckConfig(c *types.HealthCheckConfig) error {
	if c == nil {
		return nil
	}
	if !slices.Contains(c.Type.Values(), c.Type) {
		return errValidation(c.Type, "healthCheckConfig.type", "Member must satisfy enum value set: [HTTP, HTTPS, TCP]")
	}
	if err := validLength(c.ResourcePath, "healthCheckConfig.resourcePath", 255); err != nil {
		return err
	}
	if c.Type == types.HealthCheckTypeTcp && c.ResourcePath != nil {
		return errInvalidInput("ResourcePath cannot be specified for a TCP health check")
	}
	return validFailureThreshold(c.FailureThreshold, "healthCheckConfig.failureThreshold")
}

// validHealthCheckFor checks a Route 53 health check against the namespace
// ("public DNS and HTTP namespaces only") and the records (not with CNAME).
func validHealthCheckFor(c *types.HealthCheckConfig, ns *namespace, dns *types.DnsConfig) error {
	if c == nil {
		return nil
	}
	if ns.Type == types.NamespaceTypeDnsPrivate {
		return errInvalidInput("HealthCheckConfig is supported only for public DNS and HTTP namespaces; use HealthCheckCustomConfig")
	}
	if dns != nil {
		for _, r := range dns.DnsRecords {
			if r.Type == types.RecordTypeCname {
				return errInvalidInput("HealthCheckConfig cannot be specified for a service with a CNAME record")
			}
		}
	}
	return nil
}

// healthCheckConfig is the stored copy, with ResourcePath defaulted to "/"
// for HTTP and HTTPS checks.
func healthCheckConfig(c *types.HealthCheckConfig) *types.HealthCheckConfig {
	if c == nil {
		return nil
	}
	out := clone.Of(*c)
	if out.ResourcePath == nil && c.Type != types.HealthCheckTypeTcp {
		out.ResourcePath = ptr("/")
	}
	return &out
}

// serviceView is the wire view of a service with its live instance count.
// Callers hold the lock.
func (s *Store) serviceView(svc *service) *types.Service {
	v := clone.Of(svc.Service)
	v.InstanceCount = ptr(int32(len(svc.instances)))
	return &v
}

func (s *Store) GetService(_ context.Context, in *sd.GetServiceInput) (*sd.GetServiceOutput, error) {
	if err := validRequiredID(in.Id, "id"); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	svc, err := s.lookupService(*in.Id)
	if err != nil {
		return nil, err
	}
	return &sd.GetServiceOutput{Service: s.serviceView(svc)}, nil
}

// serviceFilters checks ListServices filters: NAMESPACE_ID (an ID or ARN)
// and RESOURCE_OWNER (SELF or OTHER_ACCOUNTS), with EQ and one value.
func (s *Store) serviceFilters(filters []types.ServiceFilter) ([]func(*service) bool, error) {
	var out []func(*service) bool
	for _, f := range filters {
		if f.Condition != "" && f.Condition != types.FilterConditionEq {
			return nil, errInvalidInput("Service filter %s supports only the EQ condition, not %s", f.Name, f.Condition)
		}
		if len(f.Values) != 1 {
			return nil, errInvalidInput("Service filter %s takes exactly one value, got %d", f.Name, len(f.Values))
		}
		v := f.Values[0]
		switch f.Name {
		case types.ServiceFilterNameNamespaceId:
			id, ok := s.refID(v, "namespace")
			out = append(out, func(svc *service) bool { return ok && deref(svc.NamespaceId) == id })
		case types.ServiceFilterNameResourceOwner:
			if v != "SELF" && v != "OTHER_ACCOUNTS" {
				return nil, errInvalidInput("Service filter RESOURCE_OWNER takes SELF or OTHER_ACCOUNTS, not %s", v)
			}
			self := v == "SELF" // no namespace is shared with this account
			out = append(out, func(*service) bool { return self })
		default:
			return nil, errValidation(f.Name, "filters.member.name", "Member must satisfy enum value set: [NAMESPACE_ID, RESOURCE_OWNER]")
		}
	}
	return out, nil
}

func (s *Store) ListServices(_ context.Context, in *sd.ListServicesInput) (*sd.ListServicesOutput, error) {
	matches, err := s.serviceFilters(in.Filters)
	if err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	all := slices.Collect(maps.Values(s.services))
	slices.SortFunc(all, func(a, b *service) int { return cmp.Compare(a.seq, b.seq) })
	var out []types.ServiceSummary
next:
	for _, svc := range all {
		for _, m := range matches {
			if !m(svc) {
				continue next
			}
		}
		v := s.serviceView(svc)
		out = append(out, types.ServiceSummary{
			Arn: v.Arn, CreateDate: v.CreateDate, CreatedByAccount: v.CreatedByAccount, Description: v.Description,
			DnsConfig: v.DnsConfig, HealthCheckConfig: v.HealthCheckConfig, HealthCheckCustomConfig: v.HealthCheckCustomConfig,
			Id: v.Id, InstanceCount: v.InstanceCount, Name: v.Name, ResourceOwner: v.ResourceOwner, Type: v.Type,
		})
	}
	pg, token, err := page(out, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	return &sd.ListServicesOutput{Services: nonNil(pg), NextToken: token}, nil
}

// UpdateService changes a service at once (description, record TTLs,
// HealthCheckConfig) and returns an UPDATE_SERVICE operation. As AWS
// documents: record types cannot change, and records left out of
// DnsConfig are deleted (an absent DnsConfig changes nothing); an absent
// HealthCheckConfig deletes the health check; HealthCheckCustomConfig is
// never changed; services of HTTP namespaces cannot be updated.
func (s *Store) UpdateService(_ context.Context, in *sd.UpdateServiceInput) (*sd.UpdateServiceOutput, error) {
	if err := validRequiredID(in.Id, "id"); err != nil {
		return nil, err
	}
	if in.Service == nil {
		return nil, errRequired("service")
	}
	change := in.Service
	if err := validLength(change.Description, "service.description", 1024); err != nil {
		return nil, err
	}
	if change.DnsConfig != nil {
		if err := validDNSRecords(change.DnsConfig.DnsRecords, "service.dnsConfig.dnsRecords"); err != nil {
			return nil, err
		}
	}
	if err := validHealthCheckConfig(change.HealthCheckConfig); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	svc, err := s.lookupService(*in.Id)
	if err != nil {
		return nil, err
	}
	ns := s.namespaceOf(svc)
	if ns.Type == types.NamespaceTypeHttp {
		return nil, errInvalidInput("Services of HTTP namespaces cannot be updated")
	}
	dns := svc.DnsConfig
	if change.DnsConfig != nil {
		if !svc.servesDNS() {
			return nil, errInvalidInput("Service %s has no DNS records (Type HTTP)", deref(svc.Id))
		}
		current := map[types.RecordType]bool{}
		for _, r := range svc.DnsConfig.DnsRecords {
			current[r.Type] = true
		}
		for _, r := range change.DnsConfig.DnsRecords {
			if !current[r.Type] {
				return nil, errInvalidInput("The record types of a service cannot be changed: %s is not a record type of service %s", r.Type, deref(svc.Id))
			}
		}
		dns = &types.DnsConfig{RoutingPolicy: svc.DnsConfig.RoutingPolicy, DnsRecords: clone.Of(change.DnsConfig.DnsRecords)}
	}
	if change.HealthCheckConfig != nil && svc.HealthCheckCustomConfig != nil {
		return nil, errInvalidInput("Service %s has a HealthCheckCustomConfig; it cannot also have a HealthCheckConfig", deref(svc.Id))
	}
	if err := validHealthCheckFor(change.HealthCheckConfig, ns, dns); err != nil {
		return nil, err
	}
	s.touch(kindService, deref(svc.Id))
	if change.Description != nil {
		svc.Description = ptr(*change.Description)
	}
	svc.DnsConfig = dns
	hadCheck := svc.HealthCheckConfig != nil
	svc.HealthCheckConfig = healthCheckConfig(change.HealthCheckConfig)
	if svc.HealthCheckConfig != nil && !hadCheck {
		for instID, inst := range svc.instances {
			inst.health = types.HealthStatusHealthy // a new Route 53 check starts healthy
			s.touchInstance(deref(svc.Id), instID)
		}
	}
	if svc.servesDNS() {
		s.dnsChangedIn(ns)
	}
	id := deref(svc.Id)
	opID := s.newOperation(types.OperationTypeUpdateService, map[string]string{string(types.OperationTargetTypeService): id}, deref(svc.NamespaceId), id, "")
	return &sd.UpdateServiceOutput{OperationId: &opID}, nil
}

func (s *Store) DeleteService(_ context.Context, in *sd.DeleteServiceInput) (*sd.DeleteServiceOutput, error) {
	if err := validRequiredID(in.Id, "id"); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	svc, err := s.lookupService(*in.Id)
	if err != nil {
		return nil, err
	}
	if n := len(svc.instances); n > 0 {
		return nil, errResourceInUse("Service %s has %d registered instances; deregister them first", deref(svc.Id), n)
	}
	delete(s.services, deref(svc.Id))
	delete(s.tags, deref(svc.Arn))
	s.touch(kindService, deref(svc.Id))
	if svc.servesDNS() {
		s.dnsChangedIn(s.namespaceOf(svc))
	}
	return &sd.DeleteServiceOutput{}, nil
}

func (s *Store) GetServiceAttributes(_ context.Context, in *sd.GetServiceAttributesInput) (*sd.GetServiceAttributesOutput, error) {
	if err := validRequiredID(in.ServiceId, "serviceId"); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	svc, err := s.lookupService(*in.ServiceId)
	if err != nil {
		return nil, err
	}
	return &sd.GetServiceAttributesOutput{ServiceAttributes: &types.ServiceAttributes{
		ServiceArn:    ptr(deref(svc.Arn)),
		ResourceOwner: ptr(s.account),
		Attributes:    maps.Clone(svc.attributes),
	}}, nil
}

func (s *Store) UpdateServiceAttributes(_ context.Context, in *sd.UpdateServiceAttributesInput) (*sd.UpdateServiceAttributesOutput, error) {
	if err := validRequiredID(in.ServiceId, "serviceId"); err != nil {
		return nil, err
	}
	if len(in.Attributes) == 0 {
		return nil, errRequired("attributes")
	}
	if len(in.Attributes) > maxServiceAttributes {
		return nil, errValidation(len(in.Attributes), "attributes", "Member must have length less than or equal to 30")
	}
	for k, v := range in.Attributes {
		if err := validAttributeKey(k, "attributes.key"); err != nil {
			return nil, err
		}
		if err := validAttributeValue(v, "attributes.value"); err != nil {
			return nil, err
		}
	}
	unlock := s.lock()
	defer unlock()
	svc, err := s.lookupService(*in.ServiceId)
	if err != nil {
		return nil, err
	}
	merged := maps.Clone(svc.attributes)
	maps.Copy(merged, in.Attributes)
	if len(merged) > maxServiceAttributes {
		return nil, errServiceAttributesLimit()
	}
	svc.attributes = merged
	s.touch(kindService, deref(svc.Id))
	return &sd.UpdateServiceAttributesOutput{}, nil
}

func (s *Store) DeleteServiceAttributes(_ context.Context, in *sd.DeleteServiceAttributesInput) (*sd.DeleteServiceAttributesOutput, error) {
	if err := validRequiredID(in.ServiceId, "serviceId"); err != nil {
		return nil, err
	}
	if len(in.Attributes) == 0 {
		return nil, errRequired("attributes")
	}
	if len(in.Attributes) > maxServiceAttributes {
		return nil, errValidation(len(in.Attributes), "attributes", "Member must have length less than or equal to 30")
	}
	unlock := s.lock()
	defer unlock()
	svc, err := s.lookupService(*in.ServiceId)
	if err != nil {
		return nil, err
	}
	for _, k := range in.Attributes {
		delete(svc.attributes, k)
	}
	s.touch(kindService, deref(svc.Id))
	return &sd.DeleteServiceAttributesOutput{}, nil
}
