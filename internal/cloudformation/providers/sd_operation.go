package providers

import (
	"context"
	"errors"
	"time"

	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/localaws/ecsemu/internal/api/servicediscovery"
)

// waitOperation polls a Cloud Map operation until it ends, as
// CloudFormation does for Cloud Map's asynchronous calls; a FAIL becomes
// the operation's error message.
func waitOperation(ctx context.Context, s *servicediscovery.Store, id string, poll time.Duration) (*types.Operation, error) {
	for {
		out, err := s.GetOperation(ctx, &sd.GetOperationInput{OperationId: &id})
		if err != nil {
			return nil, err
		}
		switch out.Operation.Status {
		case types.OperationStatusSuccess:
			return out.Operation, nil
		case types.OperationStatusFail:
			return nil, errors.New(deref(out.Operation.ErrorMessage))
		}
		if err := sleep(ctx, poll); err != nil {
			return nil, err
		}
	}
}
