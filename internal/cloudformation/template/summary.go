package template

import (
	"encoding/json"
	"strings"
)

// TemplateSummary is what GetTemplateSummary and ValidateTemplate report.
type TemplateSummary struct {
	Version, Description string
	Parameters           []ParameterSummary // declaration order
	Capabilities         []string           // CAPABILITY_IAM or CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND
	CapabilitiesReason   string
	ResourceTypes        []string // distinct, in declaration order
	DeclaredTransforms   []string
	Metadata             string // the Metadata section as JSON text; "" when absent
}

// ParameterSummary is one parameter declaration as the summary shows it.
type ParameterSummary struct {
	Key, Type, Description, Default string
	HasDefault, NoEcho              bool
	AllowedValues                   []string
}

// iamTypes are the resource types that need CAPABILITY_IAM, with the
// property that names them (which makes CAPABILITY_NAMED_IAM necessary).
var iamTypes = map[string]string{
	"AWS::IAM::AccessKey": "", "AWS::IAM::Group": "GroupName", "AWS::IAM::InstanceProfile": "InstanceProfileName",
	"AWS::IAM::ManagedPolicy": "ManagedPolicyName", "AWS::IAM::Policy": "", "AWS::IAM::Role": "RoleName",
	"AWS::IAM::User": "UserName", "AWS::IAM::UserToGroupAddition": "",
}

// Summary describes t for GetTemplateSummary and ValidateTemplate.
func Summary(t *Template) *TemplateSummary {
	s := &TemplateSummary{Version: t.FormatVersion, Description: t.Description,
		DeclaredTransforms: append([]string(nil), t.Transform...)}
	for _, name := range t.ParameterOrder {
		p := t.Parameters[name]
		s.Parameters = append(s.Parameters, ParameterSummary{Key: name, Type: p.Type, Description: p.Description,
			Default: p.Default, HasDefault: p.HasDefault, NoEcho: p.NoEcho,
			AllowedValues: append([]string(nil), p.AllowedValues...)})
	}
	seen := map[string]bool{}
	for _, id := range t.ResourceOrder {
		if typ := t.Resources[id].Type; !seen[typ] {
			seen[typ] = true
			s.ResourceTypes = append(s.ResourceTypes, typ)
		}
	}
	s.Capabilities, s.CapabilitiesReason = capabilities(t)
	if t.Metadata != nil {
		if b, err := json.Marshal(t.Metadata); err == nil {
			s.Metadata = string(b)
		}
	}
	return s
}

// capabilities lists what CreateStack needs acknowledged, and why.
func capabilities(t *Template) ([]string, string) {
	var caps, iam []string
	named := false
	seen := map[string]bool{}
	for _, id := range t.ResourceOrder {
		res := t.Resources[id]
		nameProp, ok := iamTypes[res.Type]
		if !ok {
			continue
		}
		if !seen[res.Type] {
			seen[res.Type] = true
			iam = append(iam, res.Type)
		}
		if nameProp != "" && res.Properties[nameProp] != nil {
			named = true
		}
	}
	var reason string
	if len(iam) > 0 {
		if named {
			caps = append(caps, "CAPABILITY_NAMED_IAM")
		} else {
			caps = append(caps, "CAPABILITY_IAM")
		}
		reason = "The following resource(s) require capabilities: [" + strings.Join(iam, ", ") + "]"
	}
	if len(t.Transform) > 0 {
		caps = append(caps, "CAPABILITY_AUTO_EXPAND")
		if reason == "" {
			reason = "The following transform(s) require capabilities: [" + strings.Join(t.Transform, ", ") + "]"
		}
	}
	return caps, reason
}
