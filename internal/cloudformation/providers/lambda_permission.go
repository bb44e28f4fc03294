package providers

import (
	"context"
	"strings"

	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// LambdaPermission is AWS::Lambda::Permission as a record: a statement of
// a function's resource policy, which nothing here enforces. Ref (and
// GetAtt Id) is its generated statement ID. The function, by name, ARN or
// partial ARN, must be a function record of the account and region.
type LambdaPermission struct{ recs *records }

// NewLambdaPermission returns the AWS::Lambda::Permission provider.
func NewLambdaPermission(recs *records) *LambdaPermission { return &LambdaPermission{recs: recs} }

// lambdaPermissionProps are AWS::Lambda::Permission's properties.
var lambdaPermissionProps = map[string]bool{
	"Action": true, "FunctionName": true, "Principal": true, "EventSourceToken": true,
	"FunctionUrlAuthType": true, "InvokedViaFunctionUrl": true, "PrincipalOrgID": true,
	"SourceAccount": true, "SourceArn": true,
}

// Create checks the function and records nothing more than the ID.
func (p *LambdaPermission) Create(_ context.Context, req *engine.Request) (*engine.Result, error) {
	for k := range req.Properties {
		if !lambdaPermissionProps[k] {
			return nil, &props.Error{Message: "Encountered unsupported property " + k}
		}
	}
	for _, k := range []string{"Action", "FunctionName", "Principal"} {
		if str(req.Properties, k) == "" {
			return nil, &props.Error{Path: "#", Message: "required key [" + k + "] not found"}
		}
	}
	name := functionNameOf(str(req.Properties, "FunctionName"))
	if _, ok := p.recs.get(recordKey{kindLambdaFunction, req.Account, req.Region, name}); !ok {
		return nil, apiError("ResourceNotFoundException", "Function not found: "+functionARN(req, name))
	}
	id := props.PhysicalName(req.StackName, req.LogicalID, 100)
	return &engine.Result{PhysicalID: id, Attributes: map[string]any{"Id": id}}, nil
}

// functionNameOf is the function a name, ARN or partial ARN names, with
// any version or alias qualifier cut off.
func functionNameOf(ref string) string {
	if _, rest, ok := strings.Cut(ref, ":function:"); ok {
		ref = rest
	}
	name, _, _ := strings.Cut(ref, ":")
	return name
}

// Update is never called with a change: every property replaces.
func (p *LambdaPermission) Update(_ context.Context, req *engine.Request) (*engine.Result, error) {
	return &engine.Result{PhysicalID: req.PhysicalID, Attributes: req.PreviousAttributes}, nil
}

// Delete has nothing to remove.
func (p *LambdaPermission) Delete(context.Context, *engine.Request) error { return nil }

// Replaces: every property of a permission is create-only.
func (p *LambdaPermission) Replaces(oldProps, newProps map[string]any) bool {
	return changedExcept(oldProps, newProps)
}
