package ssm

import "github.com/aws/aws-sdk-go-v2/service/ssm/types"

// What `cdk bootstrap` leaves in Parameter Store with the default
// qualifier, and what the CDK CLI reads before every deploy with the
// default synthesizer (it requires a version of at least 6).
const (
	BootstrapVersionName  = "/cdk-bootstrap/hnb659fds/version"
	BootstrapVersionValue = "30"
)

// Bootstrap seeds a store with the CDK bootstrap version parameter, so
// that a fresh emulator answers as a bootstrapped environment. It does
// nothing when the parameter exists. The seed is marked: a later put that
// creates the parameter (CloudFormation deploying the bootstrap template's
// AWS::SSM::Parameter, with no Overwrite) replaces it instead of failing
// with ParameterAlreadyExists.
func Bootstrap(s *Store) {
	s.mu.Lock()
	defer s.unlock()
	if s.params[BootstrapVersionName] != nil {
		return
	}
	s.touch(BootstrapVersionName)
	s.params[BootstrapVersionName] = &parameter{
		name:   BootstrapVersionName,
		seeded: true,
		versions: []*version{{
			number: 1, value: BootstrapVersionValue, typ: types.ParameterTypeString, tier: types.ParameterTierStandard,
			dataType: defaultDataType, modified: s.timestamp(), user: s.user(),
		}},
	}
}
