package cloudformation

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/localaws/ecsemu/internal/cloudformation/template"
)

func isSSMType(t string) bool { return strings.HasPrefix(t, "AWS::SSM::Parameter::Value<") }

func joinComma(l []string) string { return strings.Join(l, ",") }

// jsonText is a template value as JSON text.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

var stages = []types.TemplateStage{types.TemplateStageOriginal, types.TemplateStageProcessed}

// GetTemplate returns a stack's (or a change set's) template body exactly
// as it was submitted.
func (a *API) GetTemplate(ctx context.Context, in *cloudformation.GetTemplateInput) (*cloudformation.GetTemplateOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	defer st.mu.Unlock()
	var t *template.Template
	if in.ChangeSetName != nil {
		cs, err := st.findChangeSet(*in.ChangeSetName, deref(in.StackName))
		if err != nil {
			return nil, err
		}
		t = cs.cfg.Template
	} else {
		s := st.find(deref(in.StackName))
		if s == nil {
			return nil, errNoStack(deref(in.StackName))
		}
		switch {
		case s.dep != nil:
			t = s.dep.Template
		case s.next != nil: // the first create is still running
			t = s.next.cfg.Template
		}
	}
	out := &cloudformation.GetTemplateOutput{StagesAvailable: stages}
	if t != nil {
		out.TemplateBody = ptr(string(t.Body))
	}
	return out, nil
}

// summarySource reads the template GetTemplateSummary names.
func (a *API) summarySource(ctx context.Context, st *store, body, u, stackName *string) (*template.Template, error) {
	if stackName != nil {
		st.mu.Lock()
		s := st.find(*stackName)
		var t *template.Template
		if s != nil && s.dep != nil {
			t = s.dep.Template
		}
		st.mu.Unlock()
		if t == nil {
			return nil, errNoStack(*stackName)
		}
		return t, nil
	}
	return a.loadTemplate(ctx, st, templateSource{body: body, url: u}, nil)
}

// GetTemplateSummary describes a template: its parameters, the
// capabilities it needs, its resource types.
func (a *API) GetTemplateSummary(ctx context.Context, in *cloudformation.GetTemplateSummaryInput) (*cloudformation.GetTemplateSummaryOutput, error) {
	t, err := a.summarySource(ctx, a.store(ctx), in.TemplateBody, in.TemplateURL, in.StackName)
	if err != nil {
		return nil, err
	}
	sum := template.Summary(t)
	out := &cloudformation.GetTemplateSummaryOutput{
		Description: optional(sum.Description), Version: optional(sum.Version), Metadata: optional(sum.Metadata),
		CapabilitiesReason: optional(sum.CapabilitiesReason), ResourceTypes: sum.ResourceTypes, DeclaredTransforms: sum.DeclaredTransforms,
	}
	for _, c := range sum.Capabilities {
		out.Capabilities = append(out.Capabilities, types.Capability(c))
	}
	for _, p := range sum.Parameters {
		d := types.ParameterDeclaration{ParameterKey: ptr(p.Key), ParameterType: ptr(p.Type), NoEcho: ptr(p.NoEcho), Description: optional(p.Description)}
		if p.HasDefault {
			d.DefaultValue = ptr(p.Default)
		}
		if len(p.AllowedValues) > 0 {
			d.ParameterConstraints = &types.ParameterConstraints{AllowedValues: p.AllowedValues}
		}
		out.Parameters = append(out.Parameters, d)
	}
	for _, id := range t.ResourceOrder {
		out.ResourceIdentifierSummaries = appendIdentifier(out.ResourceIdentifierSummaries, t.Resources[id])
	}
	return out, nil
}

// appendIdentifier adds a resource to the summary of its type.
func appendIdentifier(sums []types.ResourceIdentifierSummary, r *template.Resource) []types.ResourceIdentifierSummary {
	for i := range sums {
		if deref(sums[i].ResourceType) == r.Type {
			sums[i].LogicalResourceIds = append(sums[i].LogicalResourceIds, r.LogicalID)
			return sums
		}
	}
	return append(sums, types.ResourceIdentifierSummary{ResourceType: ptr(r.Type), LogicalResourceIds: []string{r.LogicalID}})
}

// ValidateTemplate checks a template and lists its parameters.
func (a *API) ValidateTemplate(ctx context.Context, in *cloudformation.ValidateTemplateInput) (*cloudformation.ValidateTemplateOutput, error) {
	t, err := a.loadTemplate(ctx, a.store(ctx), templateSource{body: in.TemplateBody, url: in.TemplateURL}, nil)
	if err != nil {
		return nil, err
	}
	sum := template.Summary(t)
	out := &cloudformation.ValidateTemplateOutput{Description: optional(sum.Description), CapabilitiesReason: optional(sum.CapabilitiesReason),
		DeclaredTransforms: sum.DeclaredTransforms}
	for _, c := range sum.Capabilities {
		out.Capabilities = append(out.Capabilities, types.Capability(c))
	}
	for _, p := range sum.Parameters {
		tp := types.TemplateParameter{ParameterKey: ptr(p.Key), NoEcho: ptr(p.NoEcho), Description: optional(p.Description)}
		if p.HasDefault {
			tp.DefaultValue = ptr(p.Default)
		}
		out.Parameters = append(out.Parameters, tp)
	}
	return out, nil
}
