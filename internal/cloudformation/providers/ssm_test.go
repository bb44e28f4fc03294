package providers

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

func TestSSMParameterLifecycle(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	s := e.apis.SSM.StoreFor(testAccount, testRegion)
	req, res := e.create(t, "AWS::SSM::Parameter", "CdkBootstrapVersion", map[string]any{"Type": "String", "Value": "33",
		"Tags": map[string]any{"k": "v"}})
	if !strings.HasPrefix(res.PhysicalID, "CFN-CdkBootstrapVersion-") || res.Attributes["Value"] != "33" || res.Attributes["Type"] != "String" {
		t.Errorf("parameter = %+v", res)
	}
	e.update(t, req, map[string]any{"Type": "String", "Value": "34", "Description": "d"})
	got, err := s.GetParameter(ctx, &ssm.GetParameterInput{Name: &res.PhysicalID})
	if err != nil || deref(got.Parameter.Value) != "34" || got.Parameter.Version != 2 {
		t.Fatalf("after update: %+v, %v", got, err)
	}
	tags, _ := s.ListTagsForResource(ctx, &ssm.ListTagsForResourceInput{ResourceType: ssmtypes.ResourceTypeForTaggingParameter, ResourceId: &res.PhysicalID})
	if len(tags.TagList) != 1 || deref(tags.TagList[0].Key) != "team" {
		t.Errorf("tags after dropping k = %+v", tags.TagList)
	}
	e.deleteTwice(t, req)
	if _, err := s.GetParameter(ctx, &ssm.GetParameterInput{Name: &res.PhysicalID}); !isCode(err, "ParameterNotFound") {
		t.Errorf("after delete: %v", err)
	}
	for _, tc := range []struct {
		props map[string]any
		want  string
	}{
		{map[string]any{"Type": "SecureString", "Value": "x"}, "SSM Parameters of type SecureString cannot be created using CloudFormation"},
		{map[string]any{"Type": "String"}, "ValidationException"},
		{map[string]any{"Type": "String", "Value": "x", "Overwrite": true}, "Encountered unsupported property Overwrite"},
	} {
		_, err := e.reg["AWS::SSM::Parameter"].Create(testCtx(t), request("AWS::SSM::Parameter", "P", tc.props))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.props, err, tc.want)
		}
	}
}
