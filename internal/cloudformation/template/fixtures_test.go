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
