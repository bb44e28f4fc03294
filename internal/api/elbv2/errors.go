package elbv2

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/localaws/ecsemu/internal/awsproto"
)

// Constructors for the errors ELBv2 returns (spec §4.2). They are the SDK's
// error values: their ErrorCode() already is the awsQuery wire code
// (TargetGroupNotFoundException.ErrorCode() == "TargetGroupNotFound"; the
// generated types carry the @awsQueryError code, not the shape name), so
// awsproto.WriteQueryError writes them as they are and the SDK client maps
// them back to the same types. Constraint violations are
// *awsproto.ValidationError (unmodeled code ValidationError).

func msgf(format string, args ...any) *string {
	return ptr(fmt.Sprintf(format, args...))
}

func errValidation(format string, args ...any) error {
	return &awsproto.ValidationError{Message: fmt.Sprintf(format, args...)}
}

// errConstraint is the AWS-wide text of a model constraint violation.
func errConstraint(value any, member, constraint string) error {
	return errValidation("1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

// errRequired is the text of a missing required member.
func errRequired(member string) error {
	return errValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}

func errLoadBalancerNotFound() error {
	return &types.LoadBalancerNotFoundException{Message: ptr("One or more load balancers not found")}
}

func errTargetGroupNotFound() error {
	return &types.TargetGroupNotFoundException{Message: ptr("One or more target groups not found")}
}

func errTargetGroupRefNotFound(arn string) error {
	return &types.TargetGroupNotFoundException{Message: msgf("Target group '%s' not found", arn)}
}

func errListenerNotFound() error {
	return &types.ListenerNotFoundException{Message: ptr("One or more listeners not found")}
}

func errRuleNotFound() error {
	return &types.RuleNotFoundException{Message: ptr("One or more rules not found")}
}

func errInvalidConfig(format string, args ...any) error {
	return &types.InvalidConfigurationRequestException{Message: msgf(format, args...)}
}

func errInvalidAction(format string, args ...any) error {
	return &types.InvalidLoadBalancerActionException{Message: msgf(format, args...)}
}

func errInvalidTarget(format string, args ...any) error {
	return &types.InvalidTargetException{Message: msgf(format, args...)}
}

func errOperationNotPermitted(format string, args ...any) error {
	return &types.OperationNotPermittedException{Message: msgf(format, args...)}
}

func errResourceInUse(format string, args ...any) error {
	return &types.ResourceInUseException{Message: msgf(format, args...)}
}
