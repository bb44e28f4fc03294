package providers

import (
	"context"
	"crypto/rand"

	"github.com/localaws/ecsemu/internal/cloudformation/engine"
)

// CDKMetadata is AWS::CDK::Metadata, the CDK's analytics resource: it
// exists only in the stack. Ref is a generated ID, as CloudFormation's is.
type CDKMetadata struct{}

// Create makes nothing and names it.
func (CDKMetadata) Create(context.Context, *engine.Request) (*engine.Result, error) {
	return &engine.Result{PhysicalID: rand.Text()}, nil
}

// Update keeps the ID.
func (CDKMetadata) Update(_ context.Context, req *engine.Request) (*engine.Result, error) {
	return &engine.Result{PhysicalID: req.PhysicalID}, nil
}

// Delete has nothing to remove.
func (CDKMetadata) Delete(context.Context, *engine.Request) error { return nil }

// Replaces never: the metadata changes in place.
func (CDKMetadata) Replaces(_, _ map[string]any) bool { return false }
