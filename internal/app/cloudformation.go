package app

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	cfnapi "github.com/localaws/ecsemu/internal/api/cloudformation"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/providers"
)

// newCloudFormation builds CloudFormation over the services a stack's
// resources live in: providers call their stores in process, parameters
// read SSM, TemplateURLs read S3.
func (a *App) newCloudFormation() *cfnapi.API {
	reg := engine.Registry{}
	providers.Register(reg, providers.APIs{ECS: a.ECS, ELB: a.ELB, CloudMap: a.CloudMap, EC2: a.EC2,
		IAM: a.IAM, Logs: a.Logs, SSM: a.SSM, S3: a.S3, Secrets: a.Secrets})
	return cfnapi.New(cfnapi.Options{
		Account:   a.cfg.AccountID,
		Logger:    a.log.With("service", "cloudformation"),
		Providers: reg,
		SSMParameter: func(region, name string) (string, error) {
			v, _, err := a.SSM.GetValue(region, name)
			return v, err
		},
		FetchTemplate: func(_ context.Context, _, url string) ([]byte, error) { return a.S3.GetURL(url) },
		AZs:           a.zonesOf,
		State:         a.State.Bucket(cfnapi.Spec.Name),
	})
}

// zonesOf names a region's availability zones for Fn::GetAZs, as EC2's
// DescribeAvailabilityZones lists them.
func (a *App) zonesOf(region string) []string {
	out, err := a.EC2.Store(region).DescribeAvailabilityZones(context.Background(), &ec2.DescribeAvailabilityZonesInput{})
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(out.AvailabilityZones))
	for _, z := range out.AvailabilityZones {
		names = append(names, *z.ZoneName)
	}
	return names
}
