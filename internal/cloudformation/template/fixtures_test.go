package template

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cdkFixtures are the CDK-synthesized templates another engineer keeps in
// testdata; missing files skip rather than fail so the package stays
// testable on its own.
func cdkFixtures(t *testing.T) map[string]*Template {
	t.Helper()
	dir := filepath.Join("..", "testdata", "cdk")
	out := map[string]*Template{}
	for _, name := range []string{"tutorial-default-vpc.json", "tutorial-lookup.json", "tutorial-new-vpc.json", "bootstrap.yaml"} {
		body, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		tmpl, err := Parse(body)
		if err != nil {
			t.Fatalf("Parse(%s): %v", name, err)
		}
		out[name] = tmpl
	}
	if len(out) == 0 {
		t.Skip("no CDK fixtures in ../testdata/cdk")
	}
	return out
}

func TestCDKFixturesParseAndValidate(t *testing.T) {
	for name, tmpl := range cdkFixtures(t) {
		t.Run(name, func(t *testing.T) {
			wantFormat := "JSON"
			if strings.HasSuffix(name, ".yaml") {
				wantFormat = "YAML"
			}
			if tmpl.Format != wantFormat {
				t.Errorf("Format = %s, want %s", tmpl.Format, wantFormat)
			}
			if err := tmpl.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			order, err := tmpl.CreationOrder(nil)
			if err != nil {
				t.Fatalf("CreationOrder: %v", err)
			}
			if len(order) != len(tmpl.Resources) {
				t.Fatalf("CreationOrder has %d resources, template %d", len(order), len(tmpl.Resources))
			}
			assertTopological(t, tmpl, order)
		})
	}
}

// assertTopological checks that every resource comes after its dependencies.
func assertTopological(t *testing.T, tmpl *Template, order []string) {
	t.Helper()
	pos := map[string]int{}
	for i, id := range order {
		pos[id] = i
	}
	for _, id := range order {
		for _, d := range tmpl.Dependencies(id) {
			if p, ok := pos[d]; ok && p > pos[id] {
				t.Errorf("%s (at %d) comes before its dependency %s (at %d)", id, pos[id], d, p)
			}
		}
	}
}

// stackResolver plays a deploying engine: a resource has a physical ID and
// attributes once it is marked created.
type stackResolver struct {
	created map[string]bool
}

func (s *stackResolver) Ref(id string) (string, bool) {
	if !s.created[id] {
		return "", false
	}
	return "phys-" + id, true
}

func (s *stackResolver) GetAtt(id, attr string) (any, error) {
	if !s.created[id] {
		return nil, errorf("Template format error: Unresolved resource dependencies [%s] in the Resources block of the template", id)
	}
	return id + "." + attr, nil
}

func (s *stackResolver) ImportValue(name string) (string, error) {
	return "", errorf("No export named %s found", name)
}

func (s *stackResolver) AZs(region string) []string {
	return []string{region + "a", region + "b", region + "c"}
}

// TestCDKFixturesDeployInOrder evaluates every resource of each fixture in
// creation order, as the engine will: each one's references must already be
// resolvable when its turn comes, and the outputs at the end.
func TestCDKFixturesDeployInOrder(t *testing.T) {
	for name, tmpl := range cdkFixtures(t) {
		t.Run(name, func(t *testing.T) {
			ssm := func(string) (string, error) { return "33", nil }
			params, err := tmpl.ResolveParameters(nil, nil, nil, ssm)
			if err != nil {
				t.Fatalf("ResolveParameters: %v", err)
			}
			res := &stackResolver{created: map[string]bool{}}
			ctx := &Context{Params: params, Template: tmpl, Resolver: res,
				Pseudo: Pseudo{AccountID: "000000000000", Region: "us-east-1", StackName: "Stack", StackID: "arn:aws:cloudformation:us-east-1:000000000000:stack/Stack/x"}}
			if err := tmpl.CheckRules(ctx); err != nil {
				t.Fatalf("CheckRules: %v", err)
			}
			if ctx.Conditions, err = tmpl.EvaluateConditions(ctx); err != nil {
				t.Fatalf("EvaluateConditions: %v", err)
			}
			active := map[string]bool{}
			for _, id := range tmpl.ResourceOrder {
				c := tmpl.Resources[id].Condition
				active[id] = c == "" || ctx.Conditions[c]
			}
			order, err := tmpl.CreationOrder(active)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range order {
				if _, err := Evaluate(tmpl.Resources[id].Properties, ctx); err != nil {
					t.Fatalf("%s: %v", id, err)
				}
				res.created[id] = true
			}
			for _, o := range tmpl.OutputOrder {
				out := tmpl.Outputs[o]
				if out.Condition != "" && !ctx.Conditions[out.Condition] {
					continue
				}
				v, err := Evaluate(out.Value, ctx)
				if err != nil {
					t.Fatalf("output %s: %v", o, err)
				}
				if _, ok := text(v); !ok {
					t.Errorf("output %s = %#v is not text", o, v)
				}
			}
		})
	}
}

func TestCDKBootstrapVersionRule(t *testing.T) {
	fixtures := cdkFixtures(t)
	tmpl := fixtures["tutorial-default-vpc.json"]
	if tmpl == nil {
		t.Skip("no tutorial-default-vpc.json")
	}
	params, err := tmpl.ResolveParameters(nil, nil, nil, func(string) (string, error) { return "5", nil })
	if err != nil {
		t.Fatal(err)
	}
	err = tmpl.CheckRules(&Context{Params: params, Template: tmpl})
	if err == nil || !strings.Contains(err.Error(), "CDK bootstrap stack version 6 required") {
		t.Fatalf("bootstrap version 5: %v", err)
	}
}

func TestCDKBootstrapSummary(t *testing.T) {
	tmpl := cdkFixtures(t)["bootstrap.yaml"]
	if tmpl == nil {
		t.Skip("no bootstrap.yaml")
	}
	s := Summary(tmpl)
	if len(s.Parameters) != len(tmpl.ParameterOrder) || len(s.Capabilities) != 1 || s.Capabilities[0] != "CAPABILITY_NAMED_IAM" {
		t.Fatalf("summary: %d parameters, capabilities %v", len(s.Parameters), s.Capabilities)
	}
}
