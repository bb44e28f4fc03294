package secretsmanager

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// SecretValue is ECS's in-process read of a secret at task start, as the
// agent's GetSecretValue call: the version that versionID or versionStage
// names (AWSCURRENT when both are empty), by name, full or partial ARN.
// It fails with the SDK's error values, as GetSecretValue does, and with
// InvalidRequestException for a binary secret, which ECS cannot inject.
func (a *API) SecretValue(ctx context.Context, account, region, secretID, versionStage, versionID string) (string, error) {
	in := &secretsmanager.GetSecretValueInput{SecretId: &secretID}
	if versionStage != "" {
		in.VersionStage = &versionStage
	}
	if versionID != "" {
		in.VersionId = &versionID
	}
	out, err := a.StoreFor(account, region).GetSecretValue(ctx, in)
	if err != nil {
		return "", err
	}
	if out.SecretString == nil {
		return "", errInvalidRequest("The secret %s holds a binary value; only SecretString values can be injected.", secretID)
	}
	return *out.SecretString, nil
}
