package providers

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logsapi "github.com/localaws/ecsemu/internal/api/logs"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// LogStream is AWS::Logs::LogStream: Ref is the stream name; both of its
// properties replace it. An unnamed stream is called
// stack-logicalID-suffix.
type LogStream struct{ api *logsapi.API }

// NewLogStream returns the AWS::Logs::LogStream provider.
func NewLogStream(api *logsapi.API) *LogStream { return &LogStream{api: api} }

func logStreamInput(req *engine.Request) (*cloudwatchlogs.CreateLogStreamInput, error) {
	in := &cloudwatchlogs.CreateLogStreamInput{}
	if err := props.Decode(req.Properties, in); err != nil {
		return nil, err
	}
	if in.LogGroupName == nil {
		return nil, &props.Error{Path: "#", Message: "required key [LogGroupName] not found"}
	}
	return in, nil
}

// Create creates the stream in its group.
func (p *LogStream) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, err := logStreamInput(req)
	if err != nil {
		return nil, err
	}
	if in.LogStreamName == nil {
		in.LogStreamName = ptr(props.PhysicalName(req.StackName, req.LogicalID, 512))
	}
	if _, err := p.api.StoreFor(req.Account, req.Region).CreateLogStream(callCtx(ctx, req), in); err != nil {
		return nil, err
	}
	return &engine.Result{PhysicalID: *in.LogStreamName}, nil
}

// Update has nothing to change: every property replaces the stream.
func (p *LogStream) Update(_ context.Context, req *engine.Request) (*engine.Result, error) {
	return &engine.Result{PhysicalID: req.PhysicalID}, nil
}

// Delete deletes the stream; one already gone (or whose group is) is
// deleted.
func (p *LogStream) Delete(ctx context.Context, req *engine.Request) error {
	group := str(req.Properties, "LogGroupName")
	_, err := p.api.StoreFor(req.Account, req.Region).DeleteLogStream(callCtx(ctx, req),
		&cloudwatchlogs.DeleteLogStreamInput{LogGroupName: &group, LogStreamName: &req.PhysicalID})
	if isCode(err, "ResourceNotFoundException") {
		return nil
	}
	return err
}

// Replaces: a new group or name is a new stream.
func (p *LogStream) Replaces(oldProps, newProps map[string]any) bool {
	return changedExcept(oldProps, newProps)
}
