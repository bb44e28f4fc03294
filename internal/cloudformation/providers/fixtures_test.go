package providers

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// decoders turn each type's properties into its API input as Create does.
var decoders = map[string]func(map[string]any) error{
	"AWS::ECS::Cluster":        func(p map[string]any) error { _, err := clusterInput(p); return err },
	"AWS::ECS::TaskDefinition": func(p map[string]any) error { return props.Decode(p, &ecs.RegisterTaskDefinitionInput{}) },
	"AWS::ECS::Service":        func(p map[string]any) error { _, err := serviceInput(p); return err },
	"AWS::ECS::ClusterCapacityProviderAssociations": func(p map[string]any) error {
		return props.Decode(p, &ecs.PutClusterCapacityProvidersInput{})
	},
	"AWS::ElasticLoadBalancingV2::LoadBalancer": func(p map[string]any) error { _, _, err := lbInput(p); return err },
	"AWS::ElasticLoadBalancingV2::TargetGroup":  func(p map[string]any) error { _, _, err := tgInput(p); return err },
	"AWS::ElasticLoadBalancingV2::Listener":     func(p map[string]any) error { _, _, err := listenerInput(p); return err },
	"AWS::ElasticLoadBalancingV2::ListenerRule": func(p map[string]any) error { return props.Decode(p, &elb.CreateRuleInput{}) },
	"AWS::ElasticLoadBalancingV2::ListenerCertificate": func(p map[string]any) error {
		return props.Decode(p, &elb.AddListenerCertificatesInput{})
	},
	"AWS::ServiceDiscovery::PrivateDnsNamespace": func(p map[string]any) error {
		return props.Decode(p, &sd.CreatePrivateDnsNamespaceInput{})
	},
	"AWS::ServiceDiscovery::PublicDnsNamespace": func(p map[string]any) error {
		return props.Decode(p, &sd.CreatePublicDnsNamespaceInput{})
	},
	"AWS::ServiceDiscovery::HttpNamespace": func(p map[string]any) error { return props.Decode(p, &sd.CreateHttpNamespaceInput{}) },
	"AWS::ServiceDiscovery::Service":       func(p map[string]any) error { _, _, err := sdServiceInput(p); return err },
	"AWS::ServiceDiscovery::Instance":      func(p map[string]any) error { _, err := instanceInput(p); return err },
	"AWS::CDK::Metadata":                   func(map[string]any) error { return nil },
	"AWS::IAM::Role":                       func(p map[string]any) error { _, _, err := roleInput(p); return err },
	"AWS::IAM::Policy":                     func(p map[string]any) error { _, err := inlinePolicyOf(p); return err },
	"AWS::IAM::ManagedPolicy":              func(p map[string]any) error { _, err := managedPolicyOf(p); return err },
	"AWS::IAM::InstanceProfile":            func(p map[string]any) error { _, _, err := profileInput(p); return err },
	"AWS::IAM::User":                       func(p map[string]any) error { _, _, err := userInput(p); return err },
	"AWS::IAM::AccessKey":                  func(p map[string]any) error { _, err := accessKeyOf(p); return err },
	"AWS::IAM::ServiceLinkedRole":          func(p map[string]any) error { _, err := linkedRoleInput(p); return err },
	"AWS::Logs::LogGroup": func(p map[string]any) error {
		_, _, err := logGroupOf(request("AWS::Logs::LogGroup", "G", p), p)
		return err
	},
	"AWS::Logs::LogStream": func(p map[string]any) error {
		_, err := logStreamInput(request("AWS::Logs::LogStream", "S", p))
		return err
	},
	"AWS::SecretsManager::Secret": func(p map[string]any) error {
		_, _, err := secretOf(request("AWS::SecretsManager::Secret", "S", p), p)
		return err
	},
	"AWS::SSM::Parameter": func(p map[string]any) error {
		_, _, err := parameterInput(request("AWS::SSM::Parameter", "P", p), p)
		return err
	},
	"AWS::S3::Bucket": func(p map[string]any) error {
		_, _, err := bucketOf(request("AWS::S3::Bucket", "B", p), p)
		return err
	},
	"AWS::S3::BucketPolicy": func(p map[string]any) error { _, _, err := bucketPolicyOf(p); return err },
	"AWS::ECR::Repository": func(p map[string]any) error {
		_, err := repositoryName(request("AWS::ECR::Repository", "R", p))
		return err
	},
	"AWS::KMS::Key": checkKeyProps,
	"AWS::KMS::Alias": func(p map[string]any) error {
		_, _, err := (&KMSAlias{recs: newRecords()}).aliasOf(request("AWS::KMS::Alias", "A", p))
		if isCode(err, "NotFoundException") { // no key record behind a literal
			return nil
		}
		return err
	},
	"AWS::Lambda::Function": func(p map[string]any) error {
		_, err := functionName(request("AWS::Lambda::Function", "F", p))
		return err
	},
	"AWS::Lambda::Permission": func(p map[string]any) error {
		_, err := (&LambdaPermission{recs: newRecords()}).Create(context.Background(), request("AWS::Lambda::Permission", "P", p))
		if isCode(err, "ResourceNotFoundException") { // no function record behind a literal
			return nil
		}
		return err
	},

	"AWS::EC2::VPC":                  func(p map[string]any) error { _, err := decodeVPC(p); return err },
	"AWS::EC2::Subnet":               func(p map[string]any) error { _, err := decodeSubnet(p); return err },
	"AWS::EC2::SecurityGroup":        func(p map[string]any) error { _, err := decodeSG(p); return err },
	"AWS::EC2::SecurityGroupIngress": func(p map[string]any) error { _, _, _, err := NewSecurityGroupIngress(nil).decode(p); return err },
	"AWS::EC2::SecurityGroupEgress":  func(p map[string]any) error { _, _, _, err := NewSecurityGroupEgress(nil).decode(p); return err },
	"AWS::EC2::InternetGateway":      func(p map[string]any) error { _, err := decodeTagsOnly(p); return err },
	"AWS::EC2::VPCGatewayAttachment": func(p map[string]any) error { _, err := decodeAttachment(p); return err },
	"AWS::EC2::RouteTable":           func(p map[string]any) error { _, err := decodeRouteTable(p); return err },
	"AWS::EC2::Route":                func(p map[string]any) error { _, err := routeInput(p); return err },
	"AWS::EC2::SubnetRouteTableAssociation": func(p map[string]any) error {
		_, err := decodeAssociation(p)
		return err
	},
	"AWS::EC2::EIP":                func(p map[string]any) error { _, err := decodeEIP(p); return err },
	"AWS::EC2::NatGateway":         func(p map[string]any) error { _, err := natInput(&engine.Request{Properties: p}); return err },
	"Custom::VpcRestrictDefaultSG": func(p map[string]any) error { _, err := decodeRestrict(p); return err },
	"AWS::EC2::VPCEndpoint":        func(p map[string]any) error { _, err := decodeEndpoint(p); return err },
	"AWS::EC2::Instance":           func(p map[string]any) error { _, err := decodeInstance(p); return err },
}

func TestDecodersCoverRegistry(t *testing.T) {
	for typ := range newEnv(t).reg {
		if decoders[typ] == nil {
			t.Errorf("no decoder for %s", typ)
		}
	}
}

// TestCDKFixturesDecode decodes the properties of every resource of these
// types in the CDK-synthesized templates, intrinsics replaced by literals.
func TestCDKFixturesDecode(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "cdk", "tutorial-*.json"))
	if len(files) == 0 {
		t.Skip("no CDK fixtures")
	}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tmpl struct {
			Resources map[string]struct {
				Type       string
				Properties map[string]any
			}
		}
		if err := json.Unmarshal(body, &tmpl); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		seen := 0
		for id, r := range tmpl.Resources {
			dec := decoders[r.Type]
			if dec == nil {
				continue
			}
			seen++
			p, _ := literal(r.Properties).(map[string]any)
			if err := dec(p); err != nil {
				t.Errorf("%s %s (%s): %v", filepath.Base(f), id, r.Type, err)
			}
		}
		if seen < 10 {
			t.Errorf("%s: only %d resources of these types", filepath.Base(f), seen)
		}
	}
}

// literal replaces intrinsic functions with the literal an engine could
// have evaluated them to: a list for the list-valued ones, else a string.
func literal(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			for k := range x {
				switch {
				case k == "Fn::Split" || k == "Fn::GetAZs" || k == "Fn::Cidr":
					return []any{"literal"}
				case k == "Ref" || strings.HasPrefix(k, "Fn::"):
					return "literal"
				}
			}
		}
		out := map[string]any{}
		for k, e := range x {
			out[k] = literal(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = literal(e)
		}
		return out
	}
	return v
}
