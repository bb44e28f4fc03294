package ecs

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
)

// NetworkLookup checks an awsvpc configuration's IDs against EC2. It
// returns nil when every subnet and security group exists (in one VPC),
// else a *NetworkError saying which IDs failed and EC2's error.
type NetworkLookup func(region string, subnets, securityGroups []string) error

// NetworkError is what a NetworkLookup reports: the kind of ID that
// failed ("subnet" or "security group"), the IDs asked about, and the
// EC2 error (a smithy.APIError such as InvalidSubnetID.NotFound).
type NetworkError struct {
	Kind string
	IDs  []string
	Err  error
}

func (e *NetworkError) Error() string { return e.Kind + ": " + e.Err.Error() }

// checkNetwork validates a network configuration, then asks EC2 about its
// IDs; ECS wraps EC2's answer as it does on AWS: "Error retrieving subnet
// information for [subnet-1]: The subnet ID 'subnet-1' does not exist
// (ErrorCode: InvalidSubnetID.NotFound)".
func (s *Store) checkNetwork(td *types.TaskDefinition, lt types.LaunchType, nc *types.NetworkConfiguration) error {
	if err := validNetwork(td, lt, nc); err != nil {
		return err
	}
	if s.network == nil || nc == nil || nc.AwsvpcConfiguration == nil {
		return nil
	}
	err := s.network(s.region, nc.AwsvpcConfiguration.Subnets, nc.AwsvpcConfiguration.SecurityGroups)
	if err == nil {
		return nil
	}
	var ne *NetworkError
	var apiErr smithy.APIError
	if !errors.As(err, &ne) || !errors.As(ne.Err, &apiErr) {
		return errInvalidParameter("%s", err.Error())
	}
	return errInvalidParameter("%s", fmt.Sprintf("Error retrieving %s information for [%s]: %s (ErrorCode: %s)",
		ne.Kind, strings.Join(ne.IDs, ", "), apiErr.ErrorMessage(), apiErr.ErrorCode()))
}
