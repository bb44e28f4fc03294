package template

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary bodies through Parse and, when they parse,
// through everything the engine calls on a template: none may panic, and
// every error must be a ValidationError.
func FuzzParse(f *testing.F) {
	for _, s := range []string{shortFormYAML, longFormJSON, graphTemplate, paramTemplate, evalTemplate, "", "{", "Resources: {A: {Type: X}}"} {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "cdk", "*.*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		tmpl, err := Parse(body)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Parse error %T: %v", err, err)
			}
			return
		}
		_ = tmpl.Validate()
		_ = Summary(tmpl)
		_, _ = tmpl.CreationOrder(nil)
		params, err := tmpl.ResolveParameters(nil, nil, nil, func(string) (string, error) { return "1", nil })
		if err != nil {
			return
		}
		res := &stackResolver{created: map[string]bool{}}
		for _, id := range tmpl.ResourceOrder {
			res.created[id] = true
		}
		ctx := &Context{Params: params, Template: tmpl, Resolver: res, Pseudo: Pseudo{Region: "us-east-1"}}
		_ = tmpl.CheckRules(ctx)
		ctx.Conditions, _ = tmpl.EvaluateConditions(ctx)
		for _, id := range tmpl.ResourceOrder {
			_, _ = Evaluate(tmpl.Resources[id].Properties, ctx)
		}
		for _, o := range tmpl.OutputOrder {
			_, _ = Evaluate(tmpl.Outputs[o].Value, ctx)
		}
	})
}
