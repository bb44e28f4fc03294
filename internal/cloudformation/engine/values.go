package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/localaws/ecsemu/internal/cloudformation/template"
)

// evalText evaluates v to the text of an output value: lists are joined
// with commas, as CloudFormation shows them.
func evalText(v any, ctx *template.Context) (string, error) {
	got, err := template.Evaluate(v, ctx)
	if err != nil {
		return "", err
	}
	return text(got), nil
}

// text is a value as CloudFormation prints it.
func text(v any) string {
	if s, ok := template.Text(v); ok {
		return s
	}
	switch x := v.(type) {
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = text(e)
		}
		return strings.Join(parts, ",")
	case []string:
		return strings.Join(x, ",")
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// reason is the text of a resource failure for its *_FAILED event: the
// engine's and the template's own messages as they are, an AWS error as
// CloudFormation's resource handlers report it.
func reason(err error) string {
	var f *Failure
	var te *template.Error
	var ae smithy.APIError
	switch {
	case errors.As(err, &f):
		return f.Message
	case errors.As(err, &te):
		return te.Message
	case errors.As(err, &ae):
		return fmt.Sprintf("Resource handler returned message: %q (HandlerErrorCode: %s)", ae.ErrorMessage(), handlerCode(ae.ErrorCode()))
	}
	return err.Error()
}

// handlerCode maps a service error code to the CloudFormation handler
// error code it is reported under.
func handlerCode(code string) string {
	switch {
	case strings.Contains(code, "NotFound"):
		return "NotFound"
	case strings.Contains(code, "AlreadyExists"), strings.Contains(code, "Duplicate"):
		return "AlreadyExists"
	case strings.Contains(code, "Invalid"), strings.Contains(code, "Validation"), code == "ClientException":
		return "InvalidRequest"
	case strings.Contains(code, "Limit"):
		return "ServiceLimitExceeded"
	}
	return "GeneralServiceException"
}
