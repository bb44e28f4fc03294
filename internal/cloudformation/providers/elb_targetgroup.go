package providers

import (
	"context"
	"strings"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/localaws/ecsemu/internal/api/elbv2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// TargetGroup is AWS::ElasticLoadBalancingV2::TargetGroup: Ref is the ARN;
// GetAtt TargetGroupArn, TargetGroupFullName, TargetGroupName,
// LoadBalancerArns.
type TargetGroup struct{ api *elbv2.API }

// NewTargetGroup returns the target group provider.
func NewTargetGroup(api *elbv2.API) *TargetGroup { return &TargetGroup{api: api} }

// tgExtras are the properties CreateTargetGroup does not take.
type tgExtras struct {
	TargetGroupAttributes []types.TargetGroupAttribute
	Targets               []types.TargetDescription
}

func tgInput(p map[string]any) (*elb.CreateTargetGroupInput, *tgExtras, error) {
	in := &elb.CreateTargetGroupInput{}
	if err := props.Decode(p, in, "TargetGroupAttributes", "Targets"); err != nil {
		return nil, nil, err
	}
	x := &tgExtras{}
	extra := map[string]any{"TargetGroupAttributes": p["TargetGroupAttributes"], "Targets": p["Targets"]}
	if err := props.Decode(extra, x); err != nil {
		return nil, nil, err
	}
	return in, x, nil
}

// Create creates the target group (named after the stack, at most 32
// characters, when unnamed), applies its attributes and registers its
// targets.
func (p *TargetGroup) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, x, err := tgInput(req.Properties)
	if err != nil {
		return nil, err
	}
	if in.Name == nil {
		in.Name = ptr(props.PhysicalName(req.StackName, req.LogicalID, 32))
	}
	in.Tags = stackTags(req, in.Tags, func(t types.Tag) string { return deref(t.Key) },
		func(k, v string) types.Tag { return types.Tag{Key: ptr(k), Value: ptr(v)} })
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	out, err := s.CreateTargetGroup(cctx, in)
	if err != nil {
		return nil, err
	}
	arn := out.TargetGroups[0].TargetGroupArn
	if err := p.apply(cctx, s, *arn, x, nil); err != nil {
		_, _ = s.DeleteTargetGroup(cctx, &elb.DeleteTargetGroupInput{TargetGroupArn: arn})
		return nil, err
	}
	return p.result(cctx, s, *arn)
}

// apply sets attributes and brings the registered targets from old to x.
func (p *TargetGroup) apply(ctx context.Context, s *elbv2.Store, arn string, x, old *tgExtras) error {
	if len(x.TargetGroupAttributes) > 0 {
		if _, err := s.ModifyTargetGroupAttributes(ctx, &elb.ModifyTargetGroupAttributesInput{TargetGroupArn: &arn, Attributes: x.TargetGroupAttributes}); err != nil {
			return err
		}
	}
	if old != nil {
		if gone := missingTargets(old.Targets, x.Targets); len(gone) > 0 {
			if _, err := s.DeregisterTargets(ctx, &elb.DeregisterTargetsInput{TargetGroupArn: &arn, Targets: gone}); err != nil {
				return err
			}
		}
	}
	if len(x.Targets) > 0 {
		if _, err := s.RegisterTargets(ctx, &elb.RegisterTargetsInput{TargetGroupArn: &arn, Targets: x.Targets}); err != nil {
			return err
		}
	}
	return nil
}

// missingTargets are the targets of old that want lacks.
func missingTargets(old, want []types.TargetDescription) []types.TargetDescription {
	var out []types.TargetDescription
	for _, o := range old {
		found := false
		for _, w := range want {
			if deref(o.Id) == deref(w.Id) && deref(o.Port) == deref(w.Port) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, o)
		}
	}
	return out
}

func (p *TargetGroup) result(ctx context.Context, s *elbv2.Store, arn string) (*engine.Result, error) {
	out, err := s.DescribeTargetGroups(ctx, &elb.DescribeTargetGroupsInput{TargetGroupArns: []string{arn}})
	if err != nil {
		return nil, err
	}
	tg := out.TargetGroups[0]
	full := arn
	if i := strings.LastIndex(arn, ":"); i >= 0 {
		full = arn[i+1:]
	}
	return &engine.Result{PhysicalID: arn, Attributes: map[string]any{
		"TargetGroupArn":      arn,
		"TargetGroupFullName": full,
		"TargetGroupName":     deref(tg.TargetGroupName),
		"LoadBalancerArns":    stringsAny(tg.LoadBalancerArns),
	}}, nil
}

// Update modifies the health check, attributes and targets in place.
func (p *TargetGroup) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, x, err := tgInput(req.Properties)
	if err != nil {
		return nil, err
	}
	_, oldX, err := tgInput(req.PreviousProperties)
	if err != nil {
		oldX = &tgExtras{}
	}
	s, cctx := p.api.Store(req.Region), callCtx(ctx, req)
	mod := &elb.ModifyTargetGroupInput{TargetGroupArn: &req.PhysicalID,
		HealthCheckEnabled: in.HealthCheckEnabled, HealthCheckIntervalSeconds: in.HealthCheckIntervalSeconds,
		HealthCheckPath: in.HealthCheckPath, HealthCheckPort: in.HealthCheckPort, HealthCheckProtocol: in.HealthCheckProtocol,
		HealthCheckTimeoutSeconds: in.HealthCheckTimeoutSeconds, HealthyThresholdCount: in.HealthyThresholdCount,
		UnhealthyThresholdCount: in.UnhealthyThresholdCount, Matcher: in.Matcher}
	if _, err := s.ModifyTargetGroup(cctx, mod); err != nil {
		return nil, err
	}
	if err := p.apply(cctx, s, req.PhysicalID, x, oldX); err != nil {
		return nil, err
	}
	return p.result(cctx, s, req.PhysicalID)
}

// Delete deletes the target group; one already gone is deleted.
func (p *TargetGroup) Delete(ctx context.Context, req *engine.Request) error {
	_, err := p.api.Store(req.Region).DeleteTargetGroup(callCtx(ctx, req), &elb.DeleteTargetGroupInput{TargetGroupArn: &req.PhysicalID})
	if isCode(err, "TargetGroupNotFound") {
		return nil
	}
	return err
}

// Replaces follows the target group's "Update requires: Replacement"
// properties.
func (p *TargetGroup) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "Name", "Port", "Protocol", "ProtocolVersion", "TargetType", "VpcId", "IpAddressType")
}
