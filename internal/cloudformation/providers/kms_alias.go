package providers

import (
	"context"
	"strings"

	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// KMSAlias is AWS::KMS::Alias as a record: Ref is the alias name. Its
// TargetKeyId (a key ID or ARN) must be a key of the same account and
// region, and alias names are unique there, as in KMS.
type KMSAlias struct{ recs *records }

// NewKMSAlias returns the AWS::KMS::Alias provider.
func NewKMSAlias(recs *records) *KMSAlias { return &KMSAlias{recs: recs} }

const kindKMSAlias = "kms-alias"

// aliasOf checks the properties and resolves the target to a key ID.
func (p *KMSAlias) aliasOf(req *engine.Request) (name, keyID string, err error) {
	for k := range req.Properties {
		if k != "AliasName" && k != "TargetKeyId" {
			return "", "", &props.Error{Message: "Encountered unsupported property " + k}
		}
	}
	name, target := str(req.Properties, "AliasName"), str(req.Properties, "TargetKeyId")
	switch {
	case name == "" || target == "":
		return "", "", &props.Error{Path: "#", Message: "required key [AliasName, TargetKeyId] not found"}
	case strings.HasPrefix(name, "alias/aws/"):
		return "", "", apiError("NotAuthorizedException", "Cannot create alias with prefix 'alias/aws/'")
	case !strings.HasPrefix(name, "alias/"):
		return "", "", apiError("ValidationException", "Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html")
	}
	if _, ok := p.recs.get(recordKey{kindKMSKey, req.Account, req.Region, target}); ok {
		return name, target, nil
	}
	if k, ok := p.recs.find(kindKMSKey, req.Account, req.Region, "Arn", target); ok {
		return name, k.name, nil
	}
	return "", "", apiError("NotFoundException", "Invalid keyId '"+target+"'")
}

// Create records the alias.
func (p *KMSAlias) Create(_ context.Context, req *engine.Request) (*engine.Result, error) {
	name, keyID, err := p.aliasOf(req)
	if err != nil {
		return nil, err
	}
	if !p.recs.add(recordKey{kindKMSAlias, req.Account, req.Region, name}, map[string]any{"TargetKeyId": keyID}) {
		return nil, apiError("AlreadyExistsException", "An alias with the name arn:"+partitionOf(req)+":kms:"+req.Region+":"+req.Account+":"+name+" already exists")
	}
	return &engine.Result{PhysicalID: name}, nil
}

// Update points the alias at another key.
func (p *KMSAlias) Update(_ context.Context, req *engine.Request) (*engine.Result, error) {
	_, keyID, err := p.aliasOf(req)
	if err != nil {
		return nil, err
	}
	p.recs.set(recordKey{kindKMSAlias, req.Account, req.Region, req.PhysicalID}, map[string]any{"TargetKeyId": keyID})
	return &engine.Result{PhysicalID: req.PhysicalID}, nil
}

// Delete forgets the alias.
func (p *KMSAlias) Delete(_ context.Context, req *engine.Request) error {
	p.recs.remove(recordKey{kindKMSAlias, req.Account, req.Region, req.PhysicalID})
	return nil
}

// Replaces: a new AliasName is a new alias.
func (p *KMSAlias) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "AliasName")
}
