package engine

import (
	"encoding/json"
	"testing"
)

// A resource's properties read back from the state directory (through
// JSON) are the same value as those the template evaluates to.
func TestSameValueThroughJSON(t *testing.T) {
	props := map[string]any{"Port": 80, "Ratio": 0.5, "Zones": []string{"a", "b"}, "On": true,
		"Nested": map[string]any{"List": []any{1, "x"}}}
	raw, err := json.Marshal(props)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !SameValue(props, back) || !SameValue(props["Port"], back["Port"]) {
		t.Errorf("%v and %v differ", props, back)
	}
	for _, other := range []any{map[string]any{"Port": "80"}, map[string]any{"Port": 81}, 80, nil} {
		if SameValue(map[string]any{"Port": 80}, other) {
			t.Errorf("%v is not %v", other, props)
		}
	}
}
