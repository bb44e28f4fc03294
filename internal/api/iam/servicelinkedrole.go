package iam

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// linkedRole is what AWS names a service's service-linked role and which
// managed policy it attaches.
type linkedRole struct{ name, policy string }

// linkedRoles are the service-linked roles of the services this emulator
// is used with; any other service gets AWSServiceRoleFor<Service> and no
// policy.
var linkedRoles = map[string]linkedRole{
	"ecs.amazonaws.com":                         {"AWSServiceRoleForECS", "arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy"},
	"elasticloadbalancing.amazonaws.com":        {"AWSServiceRoleForElasticLoadBalancing", "arn:aws:iam::aws:policy/aws-service-role/AWSElasticLoadBalancingServiceRolePolicy"},
	"ecs.application-autoscaling.amazonaws.com": {"AWSServiceRoleForApplicationAutoScaling_ECSService", "arn:aws:iam::aws:policy/aws-service-role/AWSApplicationAutoscalingECSServicePolicy"},
	"autoscaling.amazonaws.com":                 {"AWSServiceRoleForAutoScaling", "arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy"},
	"spot.amazonaws.com":                        {"AWSServiceRoleForEC2Spot", "arn:aws:iam::aws:policy/aws-service-role/AWSEC2SpotServiceRolePolicy"},
	"servicediscovery.amazonaws.com":            {"AWSServiceRoleForCloudMap", ""},
	"rds.amazonaws.com":                         {"AWSServiceRoleForRDS", "arn:aws:iam::aws:policy/aws-service-role/AmazonRDSServiceRolePolicy"},
	"elasticache.amazonaws.com":                 {"AWSServiceRoleForElastiCache", "arn:aws:iam::aws:policy/aws-service-role/ElastiCacheServiceRolePolicy"},
	"ecs.capacity-provider.amazonaws.com":       {"AWSServiceRoleForECSCapacityProvider", ""},
	"application-autoscaling.amazonaws.com":     {"AWSServiceRoleForApplicationAutoScaling", ""},
}

var serviceNameRe = regexp.MustCompile(`^[\w+=,.@-]+$`)

// linkedRoleFor names the role of a service not in the table:
// "logs.amazonaws.com" → AWSServiceRoleForLogs.
func linkedRoleFor(service string) linkedRole {
	if lr, ok := linkedRoles[service]; ok {
		return lr
	}
	first, _, _ := strings.Cut(service, ".")
	var b strings.Builder
	for _, part := range strings.FieldsFunc(first, func(r rune) bool { return r == '-' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return linkedRole{name: "AWSServiceRoleFor" + b.String()}
}

// CreateServiceLinkedRole creates the role a service uses in this
// account, under /aws-service-role/<service>/, trusting that service.
func (s *Store) CreateServiceLinkedRole(_ context.Context, in *iam.CreateServiceLinkedRoleInput) (*iam.CreateServiceLinkedRoleOutput, error) {
	var v violations
	v.Required(in.AWSServiceName, "aWSServiceName")
	v.Length(in.AWSServiceName, "aWSServiceName", 1, 128)
	v.Pattern(in.AWSServiceName, "aWSServiceName", serviceNameRe, `[\w+=,.@-]+`)
	v.Length(in.Description, "description", 0, 1000)
	v.Length(in.CustomSuffix, "customSuffix", 1, 64)
	v.Pattern(in.CustomSuffix, "customSuffix", nameRe, nameText)
	if err := v.err(); err != nil {
		return nil, err
	}
	service := *in.AWSServiceName
	if !strings.HasSuffix(service, ".amazonaws.com") {
		return nil, errInvalidInput("Invalid service name: %s", service)
	}
	lr := linkedRoleFor(service)
	name := lr.name
	if in.CustomSuffix != nil {
		name += "_" + *in.CustomSuffix
	}
	trust := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["%s"]},"Action":["sts:AssumeRole"]}]}`, service)
	s.mu.Lock()
	defer s.unlock()
	if _, ok := s.roles[key(name)]; ok {
		return nil, errInvalidInput("Service role name %s has been taken in this account, please try a different suffix.", name)
	}
	r, err := s.addRole(name, "/aws-service-role/"+service+"/", trust, in.Description, nil, nil)
	if err != nil {
		return nil, err
	}
	r.protected = true
	if lr.policy != "" {
		if err := s.attach(&r.policies, lr.policy, "PoliciesPerRole"); err != nil {
			return nil, err
		}
	}
	return &iam.CreateServiceLinkedRoleOutput{Role: r.view()}, nil
}

// DeleteServiceLinkedRole deletes a service-linked role at once (AWS
// first checks the service no longer uses it; nothing here does) and
// returns the deletion task to poll.
func (s *Store) DeleteServiceLinkedRole(_ context.Context, in *iam.DeleteServiceLinkedRoleInput) (*iam.DeleteServiceLinkedRoleOutput, error) {
	var v violations
	v.name(in.RoleName, "roleName", 64)
	if err := v.err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	r, err := s.role(*in.RoleName)
	if err != nil {
		return nil, err
	}
	if !r.protected {
		return nil, errInvalidInput("Role %s is not a service-linked role.", *in.RoleName)
	}
	for _, arn := range r.attached {
		s.attachments[arn]--
	}
	s.touch(kindRole, key(*in.RoleName))
	delete(s.roles, key(*in.RoleName))
	id := "task/aws-service-role/" + strings.TrimSuffix(strings.TrimPrefix(*r.r.Path, "/aws-service-role/"), "/") + "/" + *r.r.RoleName + "/" + s.newID("")
	return &iam.DeleteServiceLinkedRoleOutput{DeletionTaskId: &id}, nil
}

// GetServiceLinkedRoleDeletionStatus reports a deletion task: they all
// succeed at once.
func (s *Store) GetServiceLinkedRoleDeletionStatus(_ context.Context, in *iam.GetServiceLinkedRoleDeletionStatusInput) (*iam.GetServiceLinkedRoleDeletionStatusOutput, error) {
	var v violations
	v.Required(in.DeletionTaskId, "deletionTaskId")
	v.Length(in.DeletionTaskId, "deletionTaskId", 1, 1000)
	if err := v.err(); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(*in.DeletionTaskId, "task/aws-service-role/") {
		return nil, errInvalidInput("Invalid deletion task id: %s", *in.DeletionTaskId)
	}
	return &iam.GetServiceLinkedRoleDeletionStatusOutput{Status: types.DeletionTaskStatusTypeSucceeded}, nil
}
