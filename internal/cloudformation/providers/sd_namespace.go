package providers

import (
	"time"

	"context"

	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/localaws/ecsemu/internal/api/servicediscovery"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// NamespaceKind selects one of the three Cloud Map namespace types.
type NamespaceKind int

const (
	NamespacePrivateDNS NamespaceKind = iota // AWS::ServiceDiscovery::PrivateDnsNamespace
	NamespacePublicDNS                       // AWS::ServiceDiscovery::PublicDnsNamespace
	NamespaceHTTP                            // AWS::ServiceDiscovery::HttpNamespace
)

// Namespace is a Cloud Map namespace resource: Ref is its ID; GetAtt Id,
// Arn and HostedZoneId (DNS namespaces). Create and Delete wait for Cloud
// Map's operation to succeed.
type Namespace struct {
	api  *servicediscovery.API
	kind NamespaceKind
	// Poll is the interval between looks at the operation.
	Poll time.Duration
}

// NewNamespace returns the provider of one namespace type.
func NewNamespace(api *servicediscovery.API, kind NamespaceKind) *Namespace {
	return &Namespace{api: api, kind: kind, Poll: pollInterval}
}

func sdTags(req *engine.Request, explicit []types.Tag) []types.Tag {
	return stackTags(req, explicit, func(t types.Tag) string { return deref(t.Key) },
		func(k, v string) types.Tag { return types.Tag{Key: ptr(k), Value: ptr(v)} })
}

// start makes the create call of the kind and returns its operation ID.
// No CreatorRequestId is sent: one derived from the stack and logical ID
// would make a replacement a DuplicateRequest of the resource it replaces.
func (p *Namespace) start(ctx context.Context, s *servicediscovery.Store, req *engine.Request) (string, error) {
	switch p.kind {
	case NamespacePublicDNS:
		in := &sd.CreatePublicDnsNamespaceInput{}
		if err := props.Decode(req.Properties, in); err != nil {
			return "", err
		}
		in.Tags = sdTags(req, in.Tags)
		out, err := s.CreatePublicDnsNamespace(ctx, in)
		if err != nil {
			return "", err
		}
		return deref(out.OperationId), nil
	case NamespaceHTTP:
		in := &sd.CreateHttpNamespaceInput{}
		if err := props.Decode(req.Properties, in); err != nil {
			return "", err
		}
		in.Tags = sdTags(req, in.Tags)
		out, err := s.CreateHttpNamespace(ctx, in)
		if err != nil {
			return "", err
		}
		return deref(out.OperationId), nil
	}
	in := &sd.CreatePrivateDnsNamespaceInput{}
	if err := props.Decode(req.Properties, in); err != nil {
		return "", err
	}
	in.Tags = sdTags(req, in.Tags)
	out, err := s.CreatePrivateDnsNamespace(ctx, in)
	if err != nil {
		return "", err
	}
	return deref(out.OperationId), nil
}

// Create creates the namespace and waits for it.
func (p *Namespace) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	s, cctx := p.api.StoreFor(req.Account, req.Region), callCtx(ctx, req)
	opID, err := p.start(cctx, s, req)
	if err != nil {
		return nil, err
	}
	op, err := waitOperation(cctx, s, opID, p.Poll)
	if err != nil {
		return nil, err
	}
	return namespaceResult(cctx, s, op.Targets[string(types.OperationTargetTypeNamespace)])
}

func namespaceResult(ctx context.Context, s *servicediscovery.Store, id string) (*engine.Result, error) {
	out, err := s.GetNamespace(ctx, &sd.GetNamespaceInput{Id: &id})
	if err != nil {
		return nil, err
	}
	ns := out.Namespace
	attrs := map[string]any{"Id": id, "Arn": deref(ns.Arn)}
	if ns.Properties != nil && ns.Properties.DnsProperties != nil && ns.Properties.DnsProperties.HostedZoneId != nil {
		attrs["HostedZoneId"] = *ns.Properties.DnsProperties.HostedZoneId
	}
	return &engine.Result{PhysicalID: id, Attributes: attrs}, nil
}

// Update changes the description and SOA in place.
func (p *Namespace) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	s, cctx := p.api.StoreFor(req.Account, req.Region), callCtx(ctx, req)
	change := map[string]any{}
	for _, k := range []string{"Description", "Properties"} {
		if v, ok := req.Properties[k]; ok && (p.kind != NamespaceHTTP || k == "Description") {
			change[k] = v
		}
	}
	var opID *string
	switch p.kind {
	case NamespacePublicDNS:
		c := &types.PublicDnsNamespaceChange{}
		if err := props.Decode(change, c); err != nil {
			return nil, err
		}
		out, err := s.UpdatePublicDnsNamespace(cctx, &sd.UpdatePublicDnsNamespaceInput{Id: &req.PhysicalID, Namespace: c})
		if err != nil {
			return nil, err
		}
		opID = out.OperationId
	case NamespaceHTTP:
		c := &types.HttpNamespaceChange{Description: ptr(str(req.Properties, "Description"))}
		out, err := s.UpdateHttpNamespace(cctx, &sd.UpdateHttpNamespaceInput{Id: &req.PhysicalID, Namespace: c})
		if err != nil {
			return nil, err
		}
		opID = out.OperationId
	default:
		c := &types.PrivateDnsNamespaceChange{}
		if err := props.Decode(change, c); err != nil {
			return nil, err
		}
		out, err := s.UpdatePrivateDnsNamespace(cctx, &sd.UpdatePrivateDnsNamespaceInput{Id: &req.PhysicalID, Namespace: c})
		if err != nil {
			return nil, err
		}
		opID = out.OperationId
	}
	if _, err := waitOperation(cctx, s, deref(opID), p.Poll); err != nil {
		return nil, err
	}
	return namespaceResult(cctx, s, req.PhysicalID)
}

// Delete deletes the namespace and waits; one already gone is deleted.
func (p *Namespace) Delete(ctx context.Context, req *engine.Request) error {
	s, cctx := p.api.StoreFor(req.Account, req.Region), callCtx(ctx, req)
	out, err := s.DeleteNamespace(cctx, &sd.DeleteNamespaceInput{Id: &req.PhysicalID})
	if isCode(err, "NamespaceNotFound") {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = waitOperation(cctx, s, deref(out.OperationId), p.Poll)
	return err
}

// Replaces: Name, and a private namespace's Vpc.
func (p *Namespace) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "Name", "Vpc")
}
