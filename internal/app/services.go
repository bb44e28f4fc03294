package app

import (
	"github.com/localaws/ecsemu/internal/api/acm"
	cfnapi "github.com/localaws/ecsemu/internal/api/cloudformation"
	"github.com/localaws/ecsemu/internal/api/ec2"
	ecsapi "github.com/localaws/ecsemu/internal/api/ecs"
	"github.com/localaws/ecsemu/internal/api/elbv2"
	"github.com/localaws/ecsemu/internal/api/iam"
	"github.com/localaws/ecsemu/internal/api/logs"
	"github.com/localaws/ecsemu/internal/api/s3"
	"github.com/localaws/ecsemu/internal/api/secretsmanager"
	"github.com/localaws/ecsemu/internal/api/servicediscovery"
	"github.com/localaws/ecsemu/internal/api/ssm"
	"github.com/localaws/ecsemu/internal/api/sts"
	"github.com/localaws/ecsemu/internal/server"
)

// services is the endpoint's table: one entry per AWS service, its spec
// owned by its package.
func (a *App) services() []server.Service {
	return []server.Service{
		{Spec: ecsapi.Spec, JSON: a.ECS},
		{Spec: servicediscovery.Spec, JSON: a.CloudMap},
		{Spec: elbv2.Spec, Query: a.ELB},
		{Spec: sts.Spec, Query: a.STS},
		{Spec: iam.Spec, Query: a.IAM},
		{Spec: acm.Spec, JSON: a.ACM},
		{Spec: logs.Spec, JSON: a.Logs},
		{Spec: ec2.Spec, Query: a.EC2},
		{Spec: cfnapi.Spec, Query: a.CFN},
		{Spec: ssm.Spec, JSON: a.SSM},
		{Spec: s3.Spec, REST: a.S3},
		{Spec: secretsmanager.Spec, JSON: a.Secrets},
	}
}
