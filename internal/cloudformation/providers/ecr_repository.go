package providers

import (
	"context"
	"regexp"

	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// ECRRepository is AWS::ECR::Repository as a record (the emulator has no
// ECR: images are local): Ref is the repository name; GetAtt Arn and
// RepositoryUri. Names are checked and unique per account and region, as
// in ECR.
type ECRRepository struct{ recs *records }

// NewECRRepository returns the AWS::ECR::Repository provider.
func NewECRRepository(recs *records) *ECRRepository { return &ECRRepository{recs: recs} }

const kindECRRepository = "ecr-repository"

// repositoryNameRe is ECR's repositoryName pattern.
var repositoryNameRe = regexp.MustCompile(`^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`)

// ecrRepositoryProps are the properties ECR's CreateRepository takes;
// besides the name and mutability they are kept, not acted on.
var ecrRepositoryProps = map[string]bool{
	"RepositoryName": true, "ImageTagMutability": true, "ImageTagMutabilityExclusionFilters": true,
	"ImageScanningConfiguration": true, "EncryptionConfiguration": true, "LifecyclePolicy": true,
	"RepositoryPolicyText": true, "Tags": true, "EmptyOnDelete": true,
}

func repositoryName(req *engine.Request) (string, error) {
	for k := range req.Properties {
		if !ecrRepositoryProps[k] {
			return "", &props.Error{Message: "Encountered unsupported property " + k}
		}
	}
	switch m := str(req.Properties, "ImageTagMutability"); m {
	case "", "MUTABLE", "IMMUTABLE", "MUTABLE_WITH_EXCLUSION", "IMMUTABLE_WITH_EXCLUSION":
	default:
		return "", &props.Error{Path: "#/ImageTagMutability", Message: m + " is not a valid enum value"}
	}
	name := str(req.Properties, "RepositoryName")
	if name == "" {
		return props.LowerPhysicalName(req.StackName, req.LogicalID, 256), nil
	}
	if len(name) < 2 || len(name) > 256 || !repositoryNameRe.MatchString(name) {
		return "", apiError("InvalidParameterException", "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '"+repositoryNameRe.String()+"''")
	}
	return name, nil
}

// Create records the repository.
func (p *ECRRepository) Create(_ context.Context, req *engine.Request) (*engine.Result, error) {
	name, err := repositoryName(req)
	if err != nil {
		return nil, err
	}
	attrs := map[string]any{
		"Arn":           "arn:" + partitionOf(req) + ":ecr:" + req.Region + ":" + req.Account + ":repository/" + name,
		"RepositoryUri": req.Account + ".dkr.ecr." + req.Region + ".amazonaws.com/" + name,
	}
	if !p.recs.add(recordKey{kindECRRepository, req.Account, req.Region, name}, attrs) {
		return nil, apiError("RepositoryAlreadyExistsException",
			"The repository with name '"+name+"' already exists in the registry with id '"+req.Account+"'")
	}
	return &engine.Result{PhysicalID: name, Attributes: attrs}, nil
}

// Update keeps the record: every other property is only recorded.
func (p *ECRRepository) Update(_ context.Context, req *engine.Request) (*engine.Result, error) {
	if _, err := repositoryName(req); err != nil {
		return nil, err
	}
	attrs, ok := p.recs.get(recordKey{kindECRRepository, req.Account, req.Region, req.PhysicalID})
	if !ok {
		return nil, apiError("RepositoryNotFoundException", "The repository with name '"+req.PhysicalID+"' does not exist in the registry with id '"+req.Account+"'")
	}
	return &engine.Result{PhysicalID: req.PhysicalID, Attributes: attrs}, nil
}

// Delete forgets the repository.
func (p *ECRRepository) Delete(_ context.Context, req *engine.Request) error {
	p.recs.remove(recordKey{kindECRRepository, req.Account, req.Region, req.PhysicalID})
	return nil
}

// Replaces: a new RepositoryName or EncryptionConfiguration replaces the
// repository.
func (p *ECRRepository) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "RepositoryName", "EncryptionConfiguration")
}

func partitionOf(req *engine.Request) string {
	if req.Partition == "" {
		return "aws"
	}
	return req.Partition
}
