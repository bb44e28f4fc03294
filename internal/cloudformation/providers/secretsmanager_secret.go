package providers

import (
	"context"
	"encoding/json"
	"maps"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	smapi "github.com/localaws/ecsemu/internal/api/secretsmanager"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// SecretsManagerSecret is AWS::SecretsManager::Secret: Ref and GetAtt Id
// are the secret's ARN. An unnamed secret is called <logical ID>-<12
// characters>, as CloudFormation names it; its value is SecretString or
// one GenerateSecretString makes (GetRandomPassword, optionally put under
// GenerateStringKey of the SecretStringTemplate JSON object). Deleting the
// resource deletes the secret at once, without a recovery window, as
// CloudFormation does.
type SecretsManagerSecret struct{ api *smapi.API }

// NewSecretsManagerSecret returns the AWS::SecretsManager::Secret provider.
func NewSecretsManagerSecret(api *smapi.API) *SecretsManagerSecret {
	return &SecretsManagerSecret{api: api}
}

// secretProps are the supported properties; ReplicaRegions and the
// others fail as unsupported.
type secretProps struct {
	Name                 *string
	Description          *string
	SecretString         *string
	KmsKeyId             *string
	GenerateSecretString *generateSecretString
}

type generateSecretString struct {
	ExcludeCharacters       *string
	ExcludeLowercase        *bool
	ExcludeNumbers          *bool
	ExcludePunctuation      *bool
	ExcludeUppercase        *bool
	IncludeSpace            *bool
	PasswordLength          *int64
	RequireEachIncludedType *bool
	GenerateStringKey       *string
	SecretStringTemplate    *string
}

func secretOf(req *engine.Request, p map[string]any) (secretProps, map[string]string, error) {
	var s secretProps
	if err := props.Decode(p, &s, "Tags"); err != nil {
		return s, nil, err
	}
	if s.SecretString != nil && s.GenerateSecretString != nil {
		return s, nil, &engine.Failure{Message: "You can't specify both SecretString and GenerateSecretString."}
	}
	if g := s.GenerateSecretString; g != nil && (g.GenerateStringKey == nil) != (g.SecretStringTemplate == nil) {
		return s, nil, &engine.Failure{Message: "GenerateStringKey and SecretStringTemplate must be specified together."}
	}
	tags, err := tagMap(req, p)
	return s, tags, err
}

// value is the secret's string: SecretString, a generated one, or nil.
func (p *SecretsManagerSecret) value(ctx context.Context, s *smapi.Store, sp secretProps) (*string, error) {
	g := sp.GenerateSecretString
	if g == nil {
		return sp.SecretString, nil
	}
	out, err := s.GetRandomPassword(ctx, &secretsmanager.GetRandomPasswordInput{
		ExcludeCharacters: g.ExcludeCharacters, ExcludeLowercase: g.ExcludeLowercase, ExcludeNumbers: g.ExcludeNumbers,
		ExcludePunctuation: g.ExcludePunctuation, ExcludeUppercase: g.ExcludeUppercase, IncludeSpace: g.IncludeSpace,
		PasswordLength: g.PasswordLength, RequireEachIncludedType: g.RequireEachIncludedType,
	})
	if err != nil {
		return nil, err
	}
	if g.SecretStringTemplate == nil {
		return out.RandomPassword, nil
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(*g.SecretStringTemplate), &doc); err != nil || doc == nil {
		return nil, &engine.Failure{Message: "SecretStringTemplate must be a valid JSON object."}
	}
	doc[*g.GenerateStringKey] = *out.RandomPassword
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	return ptr(string(b)), nil
}

func secretTags(m map[string]string) []types.Tag {
	var out []types.Tag
	for _, k := range sortedKeys(m) {
		out = append(out, types.Tag{Key: ptr(k), Value: ptr(m[k])})
	}
	return out
}

// Create creates the secret with its value and tags.
func (p *SecretsManagerSecret) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	sp, tags, err := secretOf(req, req.Properties)
	if err != nil {
		return nil, err
	}
	if sp.Name == nil {
		// PhysicalName without a stack part: "-<logical ID>-<suffix>".
		sp.Name = ptr(strings.TrimPrefix(props.PhysicalName("", req.LogicalID, 512), "-"))
	}
	s, cctx := p.api.StoreFor(req.Account, req.Region), callCtx(ctx, req)
	val, err := p.value(cctx, s, sp)
	if err != nil {
		return nil, err
	}
	out, err := s.CreateSecret(cctx, &secretsmanager.CreateSecretInput{Name: sp.Name, Description: sp.Description,
		KmsKeyId: sp.KmsKeyId, SecretString: val, Tags: secretTags(tags)})
	if err != nil {
		return nil, err
	}
	return secretResult(*out.ARN), nil
}

func secretResult(arn string) *engine.Result {
	return &engine.Result{PhysicalID: arn, Attributes: map[string]any{"Id": arn}}
}

// Update changes the description, key, value (a changed SecretString or
// GenerateSecretString makes a new AWSCURRENT version) and tags in place.
func (p *SecretsManagerSecret) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	sp, tags, err := secretOf(req, req.Properties)
	if err != nil {
		return nil, err
	}
	_, oldTags, err := secretOf(req, req.PreviousProperties)
	if err != nil {
		oldTags = nil
	}
	s, cctx, arn := p.api.StoreFor(req.Account, req.Region), callCtx(ctx, req), req.PhysicalID
	in := &secretsmanager.UpdateSecretInput{SecretId: &arn, Description: ptr(deref(sp.Description)), KmsKeyId: sp.KmsKeyId}
	if anyChanged(req.PreviousProperties, req.Properties, "SecretString", "GenerateSecretString") {
		if in.SecretString, err = p.value(cctx, s, sp); err != nil {
			return nil, err
		}
	}
	if _, err := s.UpdateSecret(cctx, in); err != nil {
		return nil, err
	}
	if !maps.Equal(tags, oldTags) {
		if gone := without(oldTags, tags); len(gone) > 0 {
			if _, err := s.UntagResource(cctx, &secretsmanager.UntagResourceInput{SecretId: &arn, TagKeys: gone}); err != nil {
				return nil, err
			}
		}
		if len(tags) > 0 {
			if _, err := s.TagResource(cctx, &secretsmanager.TagResourceInput{SecretId: &arn, Tags: secretTags(tags)}); err != nil {
				return nil, err
			}
		}
	}
	return secretResult(arn), nil
}

// Delete deletes the secret without recovery; one already gone is
// deleted too (a forced deletion of a missing secret succeeds).
func (p *SecretsManagerSecret) Delete(ctx context.Context, req *engine.Request) error {
	_, err := p.api.StoreFor(req.Account, req.Region).DeleteSecret(callCtx(ctx, req),
		&secretsmanager.DeleteSecretInput{SecretId: &req.PhysicalID, ForceDeleteWithoutRecovery: ptr(true)})
	return err
}

// Replaces: a new Name replaces the secret.
func (p *SecretsManagerSecret) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "Name")
}
