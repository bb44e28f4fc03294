// Package engine carries out CloudFormation stacks: it creates, updates
// and deletes resources in dependency order through one Provider per
// resource type.
package engine

import "context"

// Provider creates, updates and deletes the resources of one type by
// calling the owning service's store in process (never over HTTP).
type Provider interface {
	// Create makes the resource; it may block until the resource is ready
	// (an ECS service stable) and must honour ctx.
	Create(ctx context.Context, req *Request) (*Result, error)
	// Update changes the resource in place; req.Previous* are set.
	Update(ctx context.Context, req *Request) (*Result, error)
	// Delete removes the resource; one that is already gone counts as
	// deleted.
	Delete(ctx context.Context, req *Request) error
	// Replaces reports whether going from oldProps to newProps needs a
	// replacement (create the new resource, then delete the old one).
	Replaces(oldProps, newProps map[string]any) bool
}

// Request is one resource operation.
type Request struct {
	Region, Account, Partition string
	StackName, StackID         string
	LogicalID, Type            string
	PhysicalID                 string // "" on Create
	// Properties are the evaluated properties (intrinsics resolved).
	Properties         map[string]any
	PreviousProperties map[string]any
	PreviousAttributes map[string]any
	// Tags are the stack's tags plus aws:cloudformation:stack-name,
	// stack-id and logical-id.
	Tags map[string]string
	// Created, set on the Create of a new resource, records the physical
	// ID of a resource that exists but is not ready yet: a Create that
	// then waits (an ECS service until stable) calls it first, from its
	// own goroutine, so that a rollback, or the emulator restarting in
	// the meantime, knows what to delete.
	Created func(physicalID string)
}

// Result is what a Create or Update made.
type Result struct {
	PhysicalID string
	Ref        string // the value of Ref; "" means PhysicalID
	Attributes map[string]any
}

// Registry holds the provider of each resource type. A type without one
// fails its resource: "Resource type AWS::Foo::Bar is not supported by
// this emulator".
type Registry map[string]Provider
