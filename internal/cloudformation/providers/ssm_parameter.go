package providers

import (
	"context"
	"maps"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	ssmapi "github.com/localaws/ecsemu/internal/api/ssm"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// SSMParameter is AWS::SSM::Parameter: Ref is the parameter name; GetAtt
// Type and Value. An unnamed parameter is called CFN-<logical ID>-<12
// characters>, as CloudFormation's handler names it. Tags are a map here,
// not a list.
type SSMParameter struct{ api *ssmapi.API }

// NewSSMParameter returns the AWS::SSM::Parameter provider.
func NewSSMParameter(api *ssmapi.API) *SSMParameter { return &SSMParameter{api: api} }

func parameterInput(req *engine.Request, p map[string]any) (*ssm.PutParameterInput, map[string]string, error) {
	for _, k := range []string{"Overwrite", "KeyId"} { // API members, not properties
		if _, ok := p[k]; ok {
			return nil, nil, &props.Error{Message: "Encountered unsupported property " + k}
		}
	}
	in := &ssm.PutParameterInput{}
	if err := props.Decode(p, in, "Tags"); err != nil {
		return nil, nil, err
	}
	if in.Type == types.ParameterTypeSecureString {
		return nil, nil, &engine.Failure{Message: "SSM Parameters of type SecureString cannot be created using CloudFormation"}
	}
	var w struct{ Tags map[string]string }
	if err := props.Decode(map[string]any{"Tags": p["Tags"]}, &w); err != nil {
		return nil, nil, err
	}
	var explicit []cfnTag
	for _, k := range sortedKeys(w.Tags) {
		explicit = append(explicit, cfnTag{k, w.Tags[k]})
	}
	all := stackTags(req, explicit, func(t cfnTag) string { return t.Key }, func(k, v string) cfnTag { return cfnTag{k, v} })
	tags := map[string]string{}
	for _, t := range all {
		tags[t.Key] = t.Value
	}
	return in, tags, nil
}

func ssmTags(m map[string]string) []types.Tag {
	var out []types.Tag
	for _, k := range sortedKeys(m) {
		out = append(out, types.Tag{Key: ptr(k), Value: ptr(m[k])})
	}
	return out
}

// Create puts version 1 of the parameter with its tags.
func (p *SSMParameter) Create(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, tags, err := parameterInput(req, req.Properties)
	if err != nil {
		return nil, err
	}
	if in.Name == nil {
		in.Name = ptr(props.PhysicalName("CFN", req.LogicalID, 2048))
	}
	in.Tags = ssmTags(tags)
	if _, err := p.api.StoreFor(req.Account, req.Region).PutParameter(callCtx(ctx, req), in); err != nil {
		return nil, err
	}
	return parameterResult(in), nil
}

func parameterResult(in *ssm.PutParameterInput) *engine.Result {
	return &engine.Result{PhysicalID: *in.Name, Attributes: map[string]any{"Type": string(in.Type), "Value": deref(in.Value)}}
}

// Update puts a new version (tags cannot ride on an overwrite, so they
// are changed separately).
func (p *SSMParameter) Update(ctx context.Context, req *engine.Request) (*engine.Result, error) {
	in, tags, err := parameterInput(req, req.Properties)
	if err != nil {
		return nil, err
	}
	_, oldTags, prevErr := parameterInput(req, req.PreviousProperties)
	if prevErr != nil {
		oldTags = nil
	}
	s, cctx := p.api.StoreFor(req.Account, req.Region), callCtx(ctx, req)
	in.Name, in.Overwrite = &req.PhysicalID, ptr(true)
	if _, err := s.PutParameter(cctx, in); err != nil {
		return nil, err
	}
	if !maps.Equal(tags, oldTags) {
		if gone := without(oldTags, tags); len(gone) > 0 {
			if _, err := s.RemoveTagsFromResource(cctx, &ssm.RemoveTagsFromResourceInput{
				ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: in.Name, TagKeys: gone}); err != nil {
				return nil, err
			}
		}
		if len(tags) > 0 {
			if _, err := s.AddTagsToResource(cctx, &ssm.AddTagsToResourceInput{
				ResourceType: types.ResourceTypeForTaggingParameter, ResourceId: in.Name, Tags: ssmTags(tags)}); err != nil {
				return nil, err
			}
		}
	}
	return parameterResult(in), nil
}

// Delete deletes the parameter; one already gone is deleted.
func (p *SSMParameter) Delete(ctx context.Context, req *engine.Request) error {
	_, err := p.api.StoreFor(req.Account, req.Region).DeleteParameter(callCtx(ctx, req), &ssm.DeleteParameterInput{Name: &req.PhysicalID})
	if isCode(err, "ParameterNotFound") {
		return nil
	}
	return err
}

// Replaces: only a new Name replaces the parameter.
func (p *SSMParameter) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "Name")
}
