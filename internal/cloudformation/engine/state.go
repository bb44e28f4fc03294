package engine

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"time"

	"github.com/localaws/ecsemu/internal/clone"
	"github.com/localaws/ecsemu/internal/cloudformation/template"
)

// Config is what a stack is asked to be: a parsed template with its
// resolved parameter values and the stack's tags.
type Config struct {
	Template *template.Template
	Params   map[string]any // string or []string, from Template.ResolveParameters
	Tags     map[string]string
}

// Stack names the stack a run works on.
type Stack struct {
	Name, ID                   string
	Region, Account, Partition string
	NotificationARNs           []string
}

// Resource is one resource of a stack as the engine last left it.
type Resource struct {
	LogicalID, Type, PhysicalID string
	Ref                         string // value of Ref; "" means PhysicalID
	Properties                  map[string]any
	Attributes                  map[string]any
	Status, Reason              string
	Updated                     time.Time
	DeletionPolicy              string
	UpdateReplacePolicy         string
}

// RefValue is what Ref of the resource yields.
func (r *Resource) RefValue() string {
	if r.Ref != "" {
		return r.Ref
	}
	return r.PhysicalID
}

// Copy returns a deep copy, so that readers never share the engine's maps.
func (r *Resource) Copy() *Resource {
	c := *r
	c.Properties = clone.Of(r.Properties)
	c.Attributes = clone.Of(r.Attributes)
	return &c
}

// Output is one evaluated stack output.
type Output struct {
	Key, Value, Description, ExportName string
}

// Deployed is what a stack is: the configuration in effect, its resources
// and outputs, and the exports it imports.
type Deployed struct {
	Config
	Conditions map[string]bool
	Resources  map[string]*Resource
	Outputs    []Output
	Imports    []string // export names read with Fn::ImportValue
}

// copyResources deep-copies a resource map.
func copyResources(in map[string]*Resource) map[string]*Resource {
	out := make(map[string]*Resource, len(in))
	for k, r := range in {
		out[k] = r.Copy()
	}
	return out
}

// Event is one entry of the stack's history. LogicalID is the stack name
// and Type AWS::CloudFormation::Stack for the stack's own events.
type Event struct {
	LogicalID, PhysicalID, Type string
	Status, Reason              string
	Properties                  map[string]any
	Time                        time.Time
}

// Sink receives a run's progress; the stack store implements it. Its
// methods are called from several goroutines at once.
type Sink interface {
	// Event appends an event to the stack's history.
	Event(e Event)
	// Status sets the stack's status and reason.
	Status(status, reason string)
	// PutResource records the resource's current state (a copy).
	PutResource(r *Resource)
	// RemoveResource forgets a deleted (or retained) resource.
	RemoveResource(logicalID string)
	// ImportValue is the value of another stack's export.
	ImportValue(name string) (string, error)
	// ClaimExports checks that the stack may export these names (none
	// exported by another stack; none in use that would change or vanish)
	// and records them as the stack's exports.
	ClaimExports(exports map[string]string) error
	// ExportsInUse fails when another stack imports one of this stack's
	// exports, which forbids deleting it.
	ExportsInUse() error
	// Finish records what the stack is at the end of the run (nil after a
	// completed delete) and its final status.
	Finish(d *Deployed, status, reason string)
}

// copyParams copies parameter values.
func copyParams(p map[string]any) map[string]any { return maps.Clone(p) }

// SameValue reports whether two property values are equal. The resources
// of a stack restored from the state directory went through JSON (numbers
// come back float64, lists []any), so values with the same JSON are equal
// too: a restart must not turn into changes or replacements.
func SameValue(a, b any) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}
