package app

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// secretSource gives the reconciler what task start reads from other
// services (reconcile.SecretSource): SSM parameters, Secrets Manager
// secrets and S3 objects, through the services' in-process calls.
type secretSource struct{ a *App }

func (s secretSource) SSMParameter(ctx context.Context, account, region, ref string) (string, bool, error) {
	decrypt := true
	out, err := s.a.SSM.StoreFor(account, region).GetParameter(ctx, &ssm.GetParameterInput{Name: &ref, WithDecryption: &decrypt})
	var notFound *ssmtypes.ParameterNotFound
	var noVersion *ssmtypes.ParameterVersionNotFound
	switch {
	case errors.As(err, &notFound), errors.As(err, &noVersion):
		return "", false, nil
	case err != nil:
		return "", false, err
	}
	return *out.Parameter.Value, true, nil
}

func (s secretSource) SecretString(ctx context.Context, account, region, secretID, versionStage, versionID string) (string, error) {
	return s.a.Secrets.SecretValue(ctx, account, region, secretID, versionStage, versionID)
}

func (s secretSource) S3Object(_ context.Context, bucket, key string) ([]byte, error) {
	return s.a.S3.GetObject(bucket, key)
}
