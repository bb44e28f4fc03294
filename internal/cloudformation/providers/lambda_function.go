package providers

import (
	"context"
	"errors"
	"regexp"

	"github.com/aws/smithy-go"
	s3api "github.com/localaws/ecsemu/internal/api/s3"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// LambdaFunction is AWS::Lambda::Function as a record: there is no Lambda
// runtime, nothing is ever invoked. Ref is the function name; GetAtt Arn.
// It exists so that stacks carrying a function succeed: a stock CDK
// `new ec2.Vpc()` adds the provider function of Custom::VpcRestrictDefaultSG,
// which the emulator carries out natively. Any other custom resource
// backed by a function fails in the engine, with the reason. Code in S3
// must be there, as Lambda reads it at create (the CDK CLI publishes the
// asset first): a missing object fails the resource as Lambda does.
type LambdaFunction struct {
	recs *records
	s3   *s3api.API // nil: code in S3 is not checked
}

// NewLambdaFunction returns the AWS::Lambda::Function provider.
func NewLambdaFunction(recs *records, s3 *s3api.API) *LambdaFunction {
	return &LambdaFunction{recs: recs, s3: s3}
}

// checkCode reads Code.S3Bucket/S3Key, failing as CreateFunction does
// when the object cannot be read. Inline (ZipFile) and image code pass.
func (p *LambdaFunction) checkCode(req *engine.Request) error {
	code, _ := req.Properties["Code"].(map[string]any)
	bucket, key := str(code, "S3Bucket"), str(code, "S3Key")
	if p.s3 == nil || bucket == "" {
		return nil
	}
	_, err := p.s3.GetObject(bucket, key)
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return apiError("InvalidParameterValueException",
			"Error occurred while GetObject. S3 Error Code: "+ae.ErrorCode()+". S3 Error Message: "+ae.ErrorMessage())
	}
	return err
}

const kindLambdaFunction = "lambda-function"

// functionNameRe is Lambda's function name pattern (1 to 64 characters).
var functionNameRe = regexp.MustCompile(`^[a-zA-Z0-9-_]{1,64}$`)

func functionName(req *engine.Request) (string, error) {
	p := req.Properties
	switch {
	case p["Code"] == nil:
		return "", &props.Error{Path: "#", Message: "required key [Code] not found"}
	case str(p, "Role") == "":
		return "", &props.Error{Path: "#", Message: "required key [Role] not found"}
	}
	name := str(p, "FunctionName")
	if name == "" {
		return props.PhysicalName(req.StackName, req.LogicalID, 64), nil
	}
	if !functionNameRe.MatchString(name) {
		return "", apiError("ValidationException", "1 validation error detected: Value '"+name+"' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "+functionNameRe.String())
	}
	return name, nil
}

func functionARN(req *engine.Request, name string) string {
	return "arn:" + partitionOf(req) + ":lambda:" + req.Region + ":" + req.Account + ":function:" + name
}

// Create records the function.
func (p *LambdaFunction) Create(_ context.Context, req *engine.Request) (*engine.Result, error) {
	name, err := functionName(req)
	if err != nil {
		return nil, err
	}
	if err := p.checkCode(req); err != nil {
		return nil, err
	}
	attrs := map[string]any{"Arn": functionARN(req, name)}
	if !p.recs.add(recordKey{kindLambdaFunction, req.Account, req.Region, name}, attrs) {
		return nil, apiError("ResourceConflictException", "Function already exist: "+name)
	}
	return &engine.Result{PhysicalID: name, Attributes: attrs}, nil
}

// Update keeps the record: code and configuration are only recorded
// (new code in S3 must be readable).
func (p *LambdaFunction) Update(_ context.Context, req *engine.Request) (*engine.Result, error) {
	if _, err := functionName(req); err != nil {
		return nil, err
	}
	if anyChanged(req.PreviousProperties, req.Properties, "Code") {
		if err := p.checkCode(req); err != nil {
			return nil, err
		}
	}
	attrs, ok := p.recs.get(recordKey{kindLambdaFunction, req.Account, req.Region, req.PhysicalID})
	if !ok {
		return nil, apiError("ResourceNotFoundException", "Function not found: "+functionARN(req, req.PhysicalID))
	}
	return &engine.Result{PhysicalID: req.PhysicalID, Attributes: attrs}, nil
}

// Delete forgets the function.
func (p *LambdaFunction) Delete(_ context.Context, req *engine.Request) error {
	p.recs.remove(recordKey{kindLambdaFunction, req.Account, req.Region, req.PhysicalID})
	return nil
}

// Replaces: a new FunctionName is a new function.
func (p *LambdaFunction) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "FunctionName")
}
