package providers

import (
	"context"
	"fmt"
	"reflect"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	iamapi "github.com/localaws/ecsemu/internal/api/iam"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// entity is a role or a user as far as its policies go: AWS::IAM::Role
// and AWS::IAM::User both carry inline Policies and ManagedPolicyArns,
// and AWS::IAM::Policy and ManagedPolicy attach to both.
type entity struct {
	put    func(ctx context.Context, name, doc string) error
	del    func(ctx context.Context, name string) error
	attach func(ctx context.Context, arn string) error
	detach func(ctx context.Context, arn string) error
	// current lists the inline policy names and managed ARNs it has now.
	current func(ctx context.Context) (inline, arns []string, err error)
}

func roleEntity(s *iamapi.Store, name string) entity {
	return entity{
		put: func(ctx context.Context, pn, doc string) error {
			_, err := s.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: &name, PolicyName: &pn, PolicyDocument: &doc})
			return err
		},
		del: func(ctx context.Context, pn string) error {
			_, err := s.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: &name, PolicyName: &pn})
			return ignoreNoSuchEntity(err)
		},
		attach: func(ctx context.Context, arn string) error {
			_, err := s.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: &name, PolicyArn: &arn})
			return err
		},
		detach: func(ctx context.Context, arn string) error {
			_, err := s.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: &name, PolicyArn: &arn})
			return ignoreNoSuchEntity(err)
		},
		current: func(ctx context.Context) ([]string, []string, error) {
			in, err := s.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: &name, MaxItems: ptr(int32(1000))})
			if err != nil {
				return nil, nil, err
			}
			at, err := s.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: &name, MaxItems: ptr(int32(1000))})
			if err != nil {
				return nil, nil, err
			}
			var arns []string
			for _, p := range at.AttachedPolicies {
				arns = append(arns, deref(p.PolicyArn))
			}
			return in.PolicyNames, arns, nil
		},
	}
}

func userEntity(s *iamapi.Store, name string) entity {
	return entity{
		put: func(ctx context.Context, pn, doc string) error {
			_, err := s.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: &name, PolicyName: &pn, PolicyDocument: &doc})
			return err
		},
		del: func(ctx context.Context, pn string) error {
			_, err := s.DeleteUserPolicy(ctx, &iam.DeleteUserPolicyInput{UserName: &name, PolicyName: &pn})
			return ignoreNoSuchEntity(err)
		},
		attach: func(ctx context.Context, arn string) error {
			_, err := s.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: &name, PolicyArn: &arn})
			return err
		},
		detach: func(ctx context.Context, arn string) error {
			_, err := s.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: &name, PolicyArn: &arn})
			return ignoreNoSuchEntity(err)
		},
		current: func(ctx context.Context) ([]string, []string, error) {
			in, err := s.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: &name, MaxItems: ptr(int32(1000))})
			if err != nil {
				return nil, nil, err
			}
			at, err := s.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: &name, MaxItems: ptr(int32(1000))})
			if err != nil {
				return nil, nil, err
			}
			var arns []string
			for _, p := range at.AttachedPolicies {
				arns = append(arns, deref(p.PolicyArn))
			}
			return in.PolicyNames, arns, nil
		},
	}
}

// ignoreNoSuchEntity makes removing what is already gone a success.
func ignoreNoSuchEntity(err error) error {
	if isCode(err, "NoSuchEntity") {
		return nil
	}
	return err
}

// entityPolicies are an entity's Policies and ManagedPolicyArns.
type entityPolicies struct {
	inline map[string]string // policy name → document
	arns   []string
}

// entityPoliciesOf reads Policies ([{PolicyName, PolicyDocument}]) and
// ManagedPolicyArns.
func entityPoliciesOf(p map[string]any) (entityPolicies, error) {
	out := entityPolicies{inline: map[string]string{}}
	var err error
	if out.arns, err = stringList(p, "ManagedPolicyArns"); err != nil {
		return out, err
	}
	list, ok := p["Policies"].([]any)
	if !ok && p["Policies"] != nil {
		return out, &props.Error{Path: "#/Policies", Message: "expected type: JSONArray, found: " + kindOf(p["Policies"])}
	}
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return out, &props.Error{Path: fmt.Sprintf("#/Policies/%d", i), Message: "expected type: JSONObject"}
		}
		name := str(m, "PolicyName")
		if name == "" {
			return out, &props.Error{Path: fmt.Sprintf("#/Policies/%d", i), Message: "required key [PolicyName] not found"}
		}
		doc, err := jsonText(m, "PolicyDocument")
		if err != nil {
			return out, err
		}
		if doc == "" {
			return out, &props.Error{Path: fmt.Sprintf("#/Policies/%d", i), Message: "required key [PolicyDocument] not found"}
		}
		out.inline[name] = doc
	}
	return out, nil
}

// apply moves an entity from its policies in from to those in to:
// new and changed inline policies are put, dropped ones deleted, new ARNs
// attached and dropped ones detached.
func (e entity) apply(ctx context.Context, from, to entityPolicies) error {
	for _, name := range sortedKeys(to.inline) {
		if doc := to.inline[name]; from.inline[name] != doc {
			if err := e.put(ctx, name, doc); err != nil {
				return err
			}
		}
	}
	for _, name := range sortedKeys(from.inline) {
		if _, keep := to.inline[name]; !keep {
			if err := e.del(ctx, name); err != nil {
				return err
			}
		}
	}
	for _, arn := range added(from.arns, to.arns) {
		if err := e.attach(ctx, arn); err != nil {
			return err
		}
	}
	for _, arn := range removed(from.arns, to.arns) {
		if err := e.detach(ctx, arn); err != nil {
			return err
		}
	}
	return nil
}

// strip removes every inline policy and managed attachment the entity
// has, as CloudFormation's delete handlers do before deleting a role or
// user (IAM refuses to delete one that still has policies).
func (e entity) strip(ctx context.Context) error {
	inline, arns, err := e.current(ctx)
	if err != nil {
		return err
	}
	for _, name := range inline {
		if err := e.del(ctx, name); err != nil {
			return err
		}
	}
	for _, arn := range arns {
		if err := e.detach(ctx, arn); err != nil {
			return err
		}
	}
	return nil
}

// noGroups fails a resource that names IAM groups: the emulator's IAM
// has none.
func noGroups(p map[string]any) error {
	groups, err := stringList(p, "Groups")
	if err != nil {
		return err
	}
	if len(groups) > 0 {
		return &engine.Failure{Message: "IAM groups are not supported by this emulator (Groups: " + fmt.Sprint(groups) + ")"}
	}
	return nil
}

// retagIAM moves a role's or user's tags from one set to another: the keys
// that went are untagged, the rest (re)set.
func retagIAM(from, to []types.Tag, untag func([]string) error, tag func([]types.Tag) error) error {
	if reflect.DeepEqual(from, to) {
		return nil
	}
	keep := map[string]bool{}
	for _, t := range to {
		keep[deref(t.Key)] = true
	}
	var gone []string
	for _, t := range from {
		if !keep[deref(t.Key)] {
			gone = append(gone, deref(t.Key))
		}
	}
	if len(gone) > 0 {
		if err := untag(gone); err != nil {
			return err
		}
	}
	if len(to) == 0 {
		return nil
	}
	return tag(to)
}
