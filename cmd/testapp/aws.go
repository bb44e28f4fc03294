package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// cmdAWS calls AWS the way an application in a task does: the SDK's
// default configuration (region, AWS_ENDPOINT_URL, the container
// credentials provider) with nothing set by hand. It prints the answer as
// JSON with the credentials' source, and exits 1 on error.
//
//	testapp aws whoami                        STS GetCallerIdentity
//	testapp aws discover <namespace> <service> Cloud Map DiscoverInstances
func cmdAWS(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: testapp aws whoami | discover <namespace> <service>")
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testapp aws: configuration: %v\n", err)
		return 1
	}
	out, err := callAWS(ctx, cfg, args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testapp aws %s: %v\n", args[0], err)
		return 1
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testapp aws: credentials: %v\n", err)
		return 1
	}
	b, _ := json.Marshal(map[string]any{"result": out, "credentialsSource": creds.Source, "accessKeyId": creds.AccessKeyID})
	fmt.Println(string(b))
	return 0
}

func callAWS(ctx context.Context, cfg aws.Config, args []string) (any, error) {
	switch {
	case args[0] == "whoami" && len(args) == 1:
		return sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	case args[0] == "discover" && len(args) == 3:
		return servicediscovery.NewFromConfig(cfg).DiscoverInstances(ctx, &servicediscovery.DiscoverInstancesInput{
			NamespaceName: aws.String(args[1]), ServiceName: aws.String(args[2]),
		})
	}
	return nil, fmt.Errorf("unknown call %q", args)
}
