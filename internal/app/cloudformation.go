package app

import (
	"context"

	cfnapi "github.com/localaws/ecsemu/internal/api/cloudformation"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/providers"
)

// newCloudFormation builds CloudFormation over the services a stack's
// resources live in: providers call their stores in process, parameters
// read SSM, TemplateURLs read S3.
func (a *App) newCloudFormation() *cfnapi.API {
	reg := engine.Registry{}
	providers.Register(reg, providers.APIs{ECS: a.ECS, ELB: a.ELB, CloudMap: a.CloudMap,
		IAM: a.IAM, Logs: a.Logs, SSM: a.SSM, S3: a.S3})
	return cfnapi.New(cfnapi.Options{
		Account:   a.cfg.AccountID,
		Logger:    a.log.With("service", "cloudformation"),
		Providers: reg,
		SSMParameter: func(region, name string) (string, error) {
			v, _, err := a.SSM.GetValue(region, name)
			return v, err
		},
		FetchTemplate: func(_ context.Context, _, url string) ([]byte, error) { return a.S3.GetURL(url) },
		AZs:           zonesOf,
	})
}

// zonesOf names a region's availability zones (a, b, c), for Fn::GetAZs.
func zonesOf(region string) []string {
	return []string{region + "a", region + "b", region + "c"}
}
