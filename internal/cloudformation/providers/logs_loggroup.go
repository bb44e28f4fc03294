package providers

import (
	"context"
	"maps"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	logsapi "github.com/localaws/ecsemu/internal/api/logs"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// LogGroup is AWS::Logs::LogGroup: Ref is the group name; GetAtt Arn is
// arn:aws:logs:<region>:<account>:log-group:<name>:* (CloudFormation's
// Arn ends in ":*", unlike DescribeLogGroups' logGroupArn). A log group
// with DeletionPolicy Retain (the CDK's default) outlives its stack: the
// engine never calls Delete for it.
type LogGroup struct{ api *logsapi.API }

// NewLogGroup returns the AWS::Logs::LogGroup provider.
func NewLogGroup(api *logsapi.API) *LogGroup { return &LogGroup{api: api} }

// logGroupProps are the supported properties; the others
// (DataProtectionPolicy, FieldIndexPolicies, ResourcePolicyDocument, …)
// fail as unsupported.
type logGroupProps struct {
	LogGroupName    *string
	RetentionInDays *int32
	KmsKeyId        *string
	LogGroupClass   types.LogGroupClass
}

func logGroupOf(req *engine.Request, p map[string]any) (logGroupProps, map[string]string, error) {
	var g logGroupProps
	if err := props.Decode(p, &g, "Tags"); err != nil {
		return g, nil, err
	}
	tags, err := tagMap(req, p)
	return g, tags, err
}

// Create creates the group, named stack-logicalID-suffix when unnamed,
// with its retention and tags.
func (p *LogGroup) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	g, tags, err := logGroupOf(req, req.Properties)
	if err != nil {
		return nil, err
	}
	if g.LogGroupName == nil {
		g.LogGroupName = ptr(props.PhysicalName(req.StackName, req.LogicalID, 512))
	}
	s, cctx := p.api.StoreFor(req.Account, req.Region), callCtx(ctx, req)
	in := &cloudwatchlogs.CreateLogGroupInput{LogGroupName: g.LogGroupName, KmsKeyId: g.KmsKeyId, LogGroupClass: g.LogGroupClass, Tags: tags}
	if _, err := s.CreateLogGroup(cctx, in); err != nil {
		return nil, err
	}
	if g.RetentionInDays != nil {
		if _, err := s.PutRetentionPolicy(cctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: g.LogGroupName, RetentionInDays: g.RetentionInDays}); err != nil {
			_, _ = s.DeleteLogGroup(cctx, &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: g.LogGroupName})
			return nil, err
		}
	}
	return p.result(req, *g.LogGroupName), nil
}

func (p *LogGroup) result(req *engine.Request, name string) *engine.Result {
	return &engine.Result{PhysicalID: name, Attributes: map[string]any{"Arn": logsapi.GroupARN(req.Region, req.Account, name) + ":*"}}
}

// Update changes the retention and tags in place.
func (p *LogGroup) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	g, tags, err := logGroupOf(req, req.Properties)
	if err != nil {
		return nil, err
	}
	old, oldTags, prevErr := logGroupOf(req, req.PreviousProperties)
	if prevErr != nil {
		old, oldTags = logGroupProps{}, nil
	}
	if deref(g.KmsKeyId) != deref(old.KmsKeyId) {
		return nil, &engine.Failure{Message: "Changing the KmsKeyId of a log group is not supported by this emulator"}
	}
	s, cctx, name := p.api.StoreFor(req.Account, req.Region), callCtx(ctx, req), req.PhysicalID
	var rerr error
	switch {
	case deref(g.RetentionInDays) == deref(old.RetentionInDays):
	case g.RetentionInDays == nil:
		_, rerr = s.DeleteRetentionPolicy(cctx, &cloudwatchlogs.DeleteRetentionPolicyInput{LogGroupName: &name})
	default:
		_, rerr = s.PutRetentionPolicy(cctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: &name, RetentionInDays: g.RetentionInDays})
	}
	if rerr != nil {
		return nil, rerr
	}
	if !maps.Equal(tags, oldTags) {
		arn := logsapi.GroupARN(req.Region, req.Account, name)
		if gone := without(oldTags, tags); len(gone) > 0 {
			if _, err := s.UntagResource(cctx, &cloudwatchlogs.UntagResourceInput{ResourceArn: &arn, TagKeys: gone}); err != nil {
				return nil, err
			}
		}
		if len(tags) > 0 {
			if _, err := s.TagResource(cctx, &cloudwatchlogs.TagResourceInput{ResourceArn: &arn, Tags: tags}); err != nil {
				return nil, err
			}
		}
	}
	return p.result(req, name), nil
}

// Delete deletes the group and its streams; one already gone is deleted.
func (p *LogGroup) Delete(ctx context.Context, req *engine.Request) error {
	_, err := p.api.StoreFor(req.Account, req.Region).DeleteLogGroup(callCtx(ctx, req), &cloudwatchlogs.DeleteLogGroupInput{LogGroupName: &req.PhysicalID})
	if isCode(err, "ResourceNotFoundException") {
		return nil
	}
	return err
}

// Replaces: a new LogGroupName or LogGroupClass replaces the group.
func (p *LogGroup) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "LogGroupName", "LogGroupClass")
}
