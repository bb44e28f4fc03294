package logs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

// Constructors for the errors CloudWatch Logs returns, with AWS's texts.
// Logs reports model constraint violations as InvalidParameterException
// (not ValidationException) with the AWS-wide "1 validation error
// detected" text.

func errInvalidParameter(format string, args ...any) error {
	return &types.InvalidParameterException{Message: aws.String(fmt.Sprintf(format, args...))}
}

// errConstraint is the text of a model constraint violation.
func errConstraint(value any, member, constraint string) error {
	return errInvalidParameter("1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

func errRequired(member string) error {
	return errInvalidParameter("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", member)
}

func errGroupNotFound() error {
	return &types.ResourceNotFoundException{Message: aws.String("The specified log group does not exist.")}
}

func errStreamNotFound() error {
	return &types.ResourceNotFoundException{Message: aws.String("The specified log stream does not exist.")}
}

func errGroupExists() error {
	return &types.ResourceAlreadyExistsException{Message: aws.String("The specified log group already exists")}
}

func errStreamExists() error {
	return &types.ResourceAlreadyExistsException{Message: aws.String("The specified log stream already exists")}
}

func errLimitExceeded() error {
	return &types.LimitExceededException{Message: aws.String("Resource limit exceeded.")}
}

func errInvalidToken() error {
	return errInvalidParameter("The specified nextToken is invalid.")
}

func errInvalidPattern() error {
	return errInvalidParameter("Invalid filter pattern")
}

// errRetention refuses a retention that is not one of AWS's values.
func errRetention(days int32) error {
	values := make([]string, len(retentionDays))
	for i, d := range retentionDays {
		values[i] = strconv.Itoa(int(d))
	}
	return errConstraint(days, "retentionInDays", "Member must satisfy enum value set: ["+strings.Join(values, ", ")+"]")
}
