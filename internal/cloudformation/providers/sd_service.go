package providers

import (
	"context"
	"time"

	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/localaws/ecsemu/internal/api/servicediscovery"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// CloudMapService is AWS::ServiceDiscovery::Service: Ref is its ID; GetAtt
// Id, Arn and Name.
type CloudMapService struct {
	api *servicediscovery.API
	// Poll is the interval between looks at an update's operation.
	Poll time.Duration
}

// NewCloudMapService returns the Cloud Map service provider.
func NewCloudMapService(api *servicediscovery.API) *CloudMapService {
	return &CloudMapService{api: api, Poll: pollInterval}
}

func sdServiceInput(p map[string]any) (*sd.CreateServiceInput, map[string]string, error) {
	in := &sd.CreateServiceInput{}
	if err := props.Decode(p, in, "ServiceAttributes"); err != nil {
		return nil, nil, err
	}
	var w struct{ ServiceAttributes map[string]string }
	if err := props.Decode(map[string]any{"ServiceAttributes": p["ServiceAttributes"]}, &w); err != nil {
		return nil, nil, err
	}
	return in, w.ServiceAttributes, nil
}

// Create creates the service (named after the stack when unnamed).
func (p *CloudMapService) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, attrs, err := sdServiceInput(req.Properties)
	if err != nil {
		return nil, err
	}
	if in.Name == nil {
		in.Name = ptr(props.PhysicalName(req.StackName, req.LogicalID, 63))
	}
	in.Tags = sdTags(req, in.Tags)
	s, cctx := p.api.StoreFor(req.Account, req.Region), callCtx(ctx, req)
	out, err := s.CreateService(cctx, in)
	if err != nil {
		return nil, err
	}
	if err := p.attributes(cctx, s, deref(out.Service.Id), attrs); err != nil {
		_, _ = s.DeleteService(cctx, &sd.DeleteServiceInput{Id: out.Service.Id})
		return nil, err
	}
	return sdServiceResult(out.Service), nil
}

func (p *CloudMapService) attributes(ctx context.Context, s *servicediscovery.Store, id string, attrs map[string]string) error {
	if len(attrs) == 0 {
		return nil
	}
	_, err := s.UpdateServiceAttributes(ctx, &sd.UpdateServiceAttributesInput{ServiceId: &id, Attributes: attrs})
	return err
}

func sdServiceResult(svc *types.Service) *engine.Result {
	id := deref(svc.Id)
	return &engine.Result{PhysicalID: id, Attributes: map[string]any{"Id": id, "Arn": deref(svc.Arn), "Name": deref(svc.Name)}}
}

// Update changes the description, DNS records and Route 53 health check
// in place and waits for the operation.
func (p *CloudMapService) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, attrs, err := sdServiceInput(req.Properties)
	if err != nil {
		return nil, err
	}
	change := &types.ServiceChange{Description: in.Description, HealthCheckConfig: in.HealthCheckConfig}
	if in.DnsConfig != nil {
		change.DnsConfig = &types.DnsConfigChange{DnsRecords: in.DnsConfig.DnsRecords}
	}
	s, cctx := p.api.StoreFor(req.Account, req.Region), callCtx(ctx, req)
	out, err := s.UpdateService(cctx, &sd.UpdateServiceInput{Id: &req.PhysicalID, Service: change})
	if err != nil {
		return nil, err
	}
	if _, err := waitOperation(cctx, s, deref(out.OperationId), p.Poll); err != nil {
		return nil, err
	}
	if err := p.attributes(cctx, s, req.PhysicalID, attrs); err != nil {
		return nil, err
	}
	got, err := s.GetService(cctx, &sd.GetServiceInput{Id: &req.PhysicalID})
	if err != nil {
		return nil, err
	}
	return sdServiceResult(got.Service), nil
}

// Delete deletes the service; one already gone is deleted.
func (p *CloudMapService) Delete(ctx context.Context, req *engine.Request) error {
	_, err := p.api.StoreFor(req.Account, req.Region).DeleteService(callCtx(ctx, req), &sd.DeleteServiceInput{Id: &req.PhysicalID})
	if isCode(err, "ServiceNotFound") {
		return nil
	}
	return err
}

// Replaces follows the service's "Update requires: Replacement"
// properties; within DnsConfig only the records change in place.
func (p *CloudMapService) Replaces(oldProps, newProps map[string]any) bool {
	if anyChanged(oldProps, newProps, "Name", "NamespaceId", "HealthCheckCustomConfig", "Type") {
		return true
	}
	oldDNS, _ := oldProps["DnsConfig"].(map[string]any)
	newDNS, _ := newProps["DnsConfig"].(map[string]any)
	if (oldDNS == nil) != (newDNS == nil) {
		return true
	}
	return anyChanged(oldDNS, newDNS, "RoutingPolicy", "NamespaceId")
}
