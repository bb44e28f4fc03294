package engine

import (
	"context"
	"fmt"
	"strings"
)

// Builtins are the resource types the engine carries out itself: they need
// no service. Register providers over them to replace any.
func Builtins() Registry {
	return Registry{
		"AWS::CDK::Metadata":                       noop{ref: "static"},
		"AWS::CloudFormation::WaitConditionHandle": noop{ref: "url"},
		"AWS::CloudFormation::WaitCondition":       noop{ref: "arn"},
		"AWS::CloudFormation::Stack":               unsupported{msg: "Nested stacks (AWS::CloudFormation::Stack) are not supported by this emulator"},
	}
}

// providerFor finds the provider of a resource type. Custom resources are
// Lambda (or SNS) backed on AWS; without Lambda only those the registry
// implements natively can be carried out.
func (e *Engine) providerFor(typ string) (Provider, error) {
	if p, ok := e.providers[typ]; ok {
		return p, nil
	}
	if strings.HasPrefix(typ, "Custom::") || typ == "AWS::CloudFormation::CustomResource" {
		return nil, &Failure{Message: fmt.Sprintf("Custom resource %s backed by Lambda is not supported (no Lambda here)", typ)}
	}
	return nil, &Failure{Message: fmt.Sprintf("Resource type %s is not supported by this emulator", typ)}
}

// Failure is a resource failure whose message is shown as it is.
type Failure struct{ Message string }

func (f *Failure) Error() string { return f.Message }

// noop creates nothing: metadata and wait conditions complete at once
// (there is nothing to signal them in the emulator).
type noop struct{ ref string }

func (n noop) Create(_ context.Context, req *Request) (*Result, error) {
	id := fmt.Sprintf("%s/%s", req.StackID, req.LogicalID)
	switch n.ref {
	case "url":
		id = fmt.Sprintf("https://cloudformation-waitcondition-%s.s3.amazonaws.com/%s", req.Region, id)
		return &Result{PhysicalID: id}, nil
	case "arn":
		return &Result{PhysicalID: id, Attributes: map[string]any{"Data": "{}"}}, nil
	}
	return &Result{PhysicalID: id}, nil
}

func (n noop) Update(ctx context.Context, req *Request) (*Result, error) {
	return &Result{PhysicalID: req.PhysicalID, Attributes: req.PreviousAttributes}, nil
}

func (noop) Delete(context.Context, *Request) error { return nil }

func (noop) Replaces(_, _ map[string]any) bool { return false }

// unsupported fails every create with a clear reason.
type unsupported struct{ msg string }

func (u unsupported) Create(context.Context, *Request) (*Result, error) {
	return nil, &Failure{Message: u.msg}
}

func (u unsupported) Update(context.Context, *Request) (*Result, error) {
	return nil, &Failure{Message: u.msg}
}

func (unsupported) Delete(context.Context, *Request) error { return nil }

func (unsupported) Replaces(_, _ map[string]any) bool { return true }
