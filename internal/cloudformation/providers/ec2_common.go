package providers

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	ec2api "github.com/localaws/ecsemu/internal/api/ec2"
	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// dependencyTimeout is how long an EC2 delete keeps retrying a
// DependencyViolation, as CloudFormation's EC2 handlers do: a task's
// network interface or a NAT gateway's address can outlive, by a while,
// the resource that made it.
const dependencyTimeout = 5 * time.Minute

// ec2Waits are the intervals of the EC2 providers that poll: Poll between
// looks at a resource in transition, Dependency the longest a delete
// retries a DependencyViolation.
type ec2Waits struct {
	Poll, Dependency time.Duration
}

func defaultEC2Waits() ec2Waits { return ec2Waits{Poll: pollInterval, Dependency: dependencyTimeout} }

// SetWaits changes the intervals (tests shorten them).
func (w *ec2Waits) SetWaits(poll, dependency time.Duration) { w.Poll, w.Dependency = poll, dependency }

// ec2Tags are the Tags property plus the stack's tags.
func ec2Tags(req *engine.Request, explicit []types.Tag) []types.Tag {
	return stackTags(req, explicit, func(t types.Tag) string { return deref(t.Key) },
		func(k, v string) types.Tag { return types.Tag{Key: ptr(k), Value: ptr(v)} })
}

// tagSpec tags a resource at creation; none when there are no tags (EC2
// refuses an empty tag specification).
func tagSpec(kind types.ResourceType, tags []types.Tag) []types.TagSpecification {
	if len(tags) == 0 {
		return nil
	}
	return []types.TagSpecification{{ResourceType: kind, Tags: tags}}
}

// retag brings a resource's tags from old to want: keys that went are
// deleted, new and changed values are set.
func retag(ctx context.Context, s *ec2api.Store, id string, old, want []types.Tag) error {
	keep := map[string]string{}
	for _, t := range want {
		keep[deref(t.Key)] = deref(t.Value)
	}
	var gone []types.Tag
	for _, t := range old {
		if _, ok := keep[deref(t.Key)]; !ok {
			gone = append(gone, types.Tag{Key: t.Key})
		}
	}
	sort.Slice(gone, func(i, j int) bool { return deref(gone[i].Key) < deref(gone[j].Key) })
	if len(gone) > 0 {
		if _, err := s.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{id}, Tags: gone}); err != nil {
			return err
		}
	}
	if len(want) > 0 {
		if _, err := s.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: want}); err != nil {
			return err
		}
	}
	return nil
}

// retagFrom decodes the Tags of the previous and current properties and
// retags the resource when they differ.
func retagFrom(ctx context.Context, s *ec2api.Store, req *engine.Request, id string) error {
	if !anyChanged(req.PreviousProperties, req.Properties, "Tags") {
		return nil
	}
	old, err := decodeTags(req.PreviousProperties)
	if err != nil {
		return err
	}
	cur, err := decodeTags(req.Properties)
	if err != nil {
		return err
	}
	return retag(ctx, s, id, ec2Tags(req, old), ec2Tags(req, cur))
}

// decodeTags reads the Tags property alone.
func decodeTags(p map[string]any) ([]types.Tag, error) {
	var x struct{ Tags []types.Tag }
	err := props.Decode(map[string]any{"Tags": p["Tags"]}, &x)
	return x.Tags, err
}

// untilDone polls check until it reports done or fails. The first looks
// come quickly (a tenth of poll, doubling up to poll): EC2's transitions
// here take a fraction of a second, and a stack waits for every one.
func untilDone(ctx context.Context, poll time.Duration, check func() (bool, error)) error {
	delay := poll / 10
	for {
		done, err := check()
		if err != nil || done {
			return err
		}
		if err := sleep(ctx, delay); err != nil {
			return err
		}
		delay = min(2*delay, poll)
	}
}

// retryDependency runs a delete until it no longer fails with EC2's
// DependencyViolation (or InUse), for at most w.Dependency; then the last
// error stands.
func retryDependency(ctx context.Context, w ec2Waits, del func() error) error {
	deadline := time.Now().Add(w.Dependency)
	for {
		err := del()
		if !isCode(err, "DependencyViolation", "InvalidIPAddress.InUse") || time.Now().After(deadline) {
			return err
		}
		if err := sleep(ctx, w.Poll); err != nil {
			return err
		}
	}
}

// unsupportedProps fails a resource that sets a property whose feature
// the emulated EC2 lacks, rather than ignoring it.
func unsupportedProps(typ string, p map[string]any, names ...string) error {
	for _, n := range names {
		if v, ok := p[n]; ok && v != nil && v != false && v != "false" {
			return &engine.Failure{Message: fmt.Sprintf("Property %s of %s is not supported by this emulator", n, typ)}
		}
	}
	return nil
}
