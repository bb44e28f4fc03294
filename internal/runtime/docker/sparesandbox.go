package docker

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"sync"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
)

// Spare sandboxes. Starting a sandbox (a network namespace with its
// endpoints on the task and link-local networks) is the slowest step of a
// task start, slower than starting the task's own container, and nothing
// in it depends on the task: every sandbox of this runtime has the same
// networks, DNS and hosts. So the runtime keeps Options.SandboxSpares of
// them started, hands one to the next task (renamed to the task's sandbox
// name) and starts a replacement in the background.
//
// Labels cannot change after create, so a spare carries only the managed,
// role and scope labels and LabelPooled, never its task's. Its task knows
// it by ID (the store records every sandbox ID); the reconciler's sweep
// keeps a sandbox a known task records and removes spares like any other
// leftover, so a crash leaves nothing behind for long. Events of a spare
// this process handed out carry its task's labels (see eventLabels).

// LabelPooled marks a sandbox started before its task existed.
const LabelPooled = "ecs-emulator.pooled"

// sparePool holds the started spares, all made from one template.
type sparePool struct {
	mu      sync.Mutex
	key     string // the template the spares were made from
	spares  []runtime.Sandbox
	filling bool
	due     *runtime.SandboxSpec // template to refill at the next container start
	closed  bool
	fill    sync.WaitGroup
	// taken maps a handed-out spare's ID to its task's labels.
	taken map[string]map[string]string
}

// spareSpec is the task-independent part of spec: what a spare is made of.
func spareSpec(spec runtime.SandboxSpec) runtime.SandboxSpec {
	return runtime.SandboxSpec{
		Labels: map[string]string{
			runtime.LabelScope: spec.Labels[runtime.LabelScope],
			runtime.LabelRole:  runtime.RoleSandbox,
			LabelPooled:        "true",
		},
		DNS:        spec.DNS,
		Hostname:   spec.Hostname,
		ExtraHosts: spec.ExtraHosts,
	}
}

// spareKey identifies a template; spares serve only sandboxes of theirs.
func spareKey(tmpl runtime.SandboxSpec) string {
	keys := slices.Sorted(maps.Keys(tmpl.Labels))
	labels := make([]string, 0, len(keys))
	for _, k := range keys {
		labels = append(labels, k+"="+tmpl.Labels[k])
	}
	return fmt.Sprintf("%q|%q|%q|%q", labels, tmpl.DNS, tmpl.Hostname, tmpl.ExtraHosts)
}

// takeSpare hands out a started spare of tmpl under the task's sandbox
// name, or reports false when there is none (or none still running).
func (r *Runtime) takeSpare(ctx context.Context, tmpl, spec runtime.SandboxSpec) (runtime.Sandbox, bool) {
	for {
		sb, ok := r.spares.pop(spareKey(tmpl))
		if !ok {
			return runtime.Sandbox{}, false
		}
		err := r.claimSpare(ctx, sb.ID, spec.Name)
		if err == nil {
			r.spares.handedOut(sb.ID, managedLabels(spec.Labels, runtime.RoleSandbox))
			return sb, true
		}
		// Gone, stopped (an engine restart) or refused: never hand it out.
		r.log.DebugContext(ctx, "spare sandbox not usable", "op", "take spare", "container", shortID(sb.ID), "err", err)
		_ = r.RemoveContainer(context.WithoutCancel(ctx), sb.ID)
	}
}

// claimSpare checks that a spare still runs and renames it for its task.
// A container already holding the name can only be an earlier attempt at
// this task's sandbox (names are per task), so it is removed first.
func (r *Runtime) claimSpare(ctx context.Context, id, name string) error {
	st, err := r.InspectContainer(ctx, id)
	if err != nil {
		return err
	}
	if !st.Running {
		return fmt.Errorf("spare sandbox %s is %s", shortID(id), st.Status)
	}
	err = r.rename(ctx, id, name)
	if cerrdefs.IsConflict(err) {
		if rmErr := r.RemoveContainer(ctx, name); rmErr != nil {
			return rmErr
		}
		err = r.rename(ctx, id, name)
	}
	return r.wrap("rename sandbox", name, err)
}

func (r *Runtime) rename(ctx context.Context, id, name string) error {
	ctx, cancel := r.call(ctx)
	defer cancel()
	_, err := r.cli.ContainerRename(ctx, id, client.ContainerRenameOptions{NewName: name})
	return err
}

// PrepareSandboxes starts the spares for sandboxes like spec before any
// task asks, so that the first task start is as quick as the next ones.
// Without spares (Options.SandboxSpares 0) it does nothing.
func (r *Runtime) PrepareSandboxes(spec runtime.SandboxSpec) {
	if r.opts.SandboxSpares > 0 {
		r.refillSpares(spareSpec(spec))
	}
}

// refillAfterStart has the spare that a task start used replaced once
// that task's next container has started: a spare started meanwhile
// would compete with it for the engine and the CPU. A task that never
// gets that far (it failed) is not waited for by the next one.
func (r *Runtime) refillAfterStart(tmpl runtime.SandboxSpec) {
	r.spares.mu.Lock()
	prev := r.spares.due
	r.spares.due = &tmpl
	r.spares.mu.Unlock()
	if prev != nil {
		r.refillSpares(*prev)
	}
}

// refillDue starts the refill a task start left due, if any.
func (r *Runtime) refillDue() {
	r.spares.mu.Lock()
	due := r.spares.due
	r.spares.due = nil
	r.spares.mu.Unlock()
	if due != nil {
		r.refillSpares(*due)
	}
}

// refillSpares starts spares of tmpl in the background until there are
// Options.SandboxSpares; spares of another template are removed.
func (r *Runtime) refillSpares(tmpl runtime.SandboxSpec) {
	stale, start := r.spares.beginFill(spareKey(tmpl))
	for _, sb := range stale {
		_ = r.RemoveContainer(context.Background(), sb.ID)
	}
	if start {
		go r.fillSpares(tmpl)
	}
}

func (r *Runtime) fillSpares(tmpl runtime.SandboxSpec) {
	defer r.spares.fill.Done()
	key := spareKey(tmpl)
	for r.spares.wants(key, r.opts.SandboxSpares) {
		spec := tmpl
		spec.Name = r.spareName()
		sb, err := r.newSandbox(context.Background(), spec)
		if err != nil {
			r.log.Debug("starting a spare sandbox failed", "op", "fill spares", "err", err)
			break // the next task start tries again
		}
		if !r.spares.put(key, sb) {
			_ = r.RemoveContainer(context.Background(), sb.ID) // closed meanwhile
			break
		}
	}
	r.spares.endFill()
}

// spareName is a unique name in this runtime's namespace of names.
func (r *Runtime) spareName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return r.opts.Network + "-spare-" + hex.EncodeToString(b)
}

// RemoveSpares stops making spares and removes those not handed out, so
// that nothing is left behind at shutdown (even when task containers are
// kept). It waits for a spare being started, unless ctx ends first; that
// one then removes itself.
func (r *Runtime) RemoveSpares(ctx context.Context) error {
	r.spares.mu.Lock()
	r.spares.closed = true
	r.spares.mu.Unlock()
	done := make(chan struct{})
	go func() { r.spares.fill.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	r.spares.mu.Lock()
	spares := r.spares.spares
	r.spares.spares = nil
	r.spares.mu.Unlock()
	var errs []error
	for _, sb := range spares {
		if err := r.RemoveContainer(ctx, sb.ID); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// eventLabels gives the event of a handed-out spare its task's labels, so
// that its death wakes its task like any sandbox's.
func (r *Runtime) eventLabels(ev runtime.Event) runtime.Event {
	p := &r.spares
	p.mu.Lock()
	defer p.mu.Unlock()
	labels, ok := p.taken[ev.ContainerID]
	if !ok {
		return ev
	}
	if ev.Action == "destroy" {
		delete(p.taken, ev.ContainerID)
	}
	merged := maps.Clone(ev.Labels)
	if merged == nil {
		merged = map[string]string{}
	}
	maps.Copy(merged, labels)
	ev.Labels = merged
	return ev
}

func (p *sparePool) pop(key string) (runtime.Sandbox, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.key != key || len(p.spares) == 0 {
		return runtime.Sandbox{}, false
	}
	sb := p.spares[0]
	p.spares = p.spares[1:]
	return sb, true
}

func (p *sparePool) handedOut(id string, labels map[string]string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.taken == nil {
		p.taken = map[string]map[string]string{}
	}
	p.taken[id] = labels
}

// beginFill switches the pool to key (returning the spares of the old
// template, to remove) and reports whether a filler must start.
func (p *sparePool) beginFill(key string) (stale []runtime.Sandbox, start bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return nil, false
	}
	if p.key != key {
		stale, p.spares, p.key = p.spares, nil, key
	}
	if p.filling {
		return stale, false
	}
	p.filling = true
	p.fill.Add(1)
	return stale, true
}

func (p *sparePool) wants(key string, n int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.closed && p.key == key && len(p.spares) < n
}

// put adds a started spare; false when the pool closed or moved on.
func (p *sparePool) put(key string, sb runtime.Sandbox) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.key != key {
		return false
	}
	p.spares = append(p.spares, sb)
	return true
}

func (p *sparePool) endFill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.filling = false
}
