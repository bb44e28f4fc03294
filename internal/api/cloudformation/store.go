package cloudformation

import (
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/state"
)

// store holds the stacks, change sets and exports of one region (and
// account) under one lock.
type store struct {
	mu         sync.Mutex
	region     string
	account    string
	stacks     []*stack          // creation order, deleted ones too
	byID       map[string]*stack // stack ARN → stack, deleted ones too
	byName     map[string]*stack // live stacks only
	changeSets map[string]*changeSet
	exports    map[string]export // export name → owner and value

	// bucket keeps the store's records (nil: nothing is kept); journal
	// and dirty collect the records changed under mu (see persist.go).
	bucket  *state.Bucket
	journal *state.Journal
	dirty   map[string]func() (any, bool)
}

func newStore(region, account string, bucket *state.Bucket) *store {
	return &store{region: region, account: account, byID: map[string]*stack{}, byName: map[string]*stack{},
		changeSets: map[string]*changeSet{}, exports: map[string]export{},
		bucket: bucket, journal: bucket.Journal(), dirty: map[string]func() (any, bool){}}
}

// export is one exported output.
type export struct {
	stackID, stackName, value string
}

// stack is one stack's record.
type stack struct {
	id, name       string
	order          int // position in the store's stacks
	status, reason string
	description    string
	created        time.Time
	updated        time.Time
	deleted        time.Time

	dep       *engine.Deployed            // what is deployed (nil before the first deploy)
	values    map[string]string           // parameter values in effect, as given or defaulted
	resources map[string]*engine.Resource // kept current by the engine
	events    []types.StackEvent          // oldest first

	capabilities     []string
	notificationARNs []string
	roleARN          string
	tags             []types.Tag
	disableRollback  bool
	protection       bool
	timeout          *int32
	policy           *string

	next          *settings      // what the running create/update brings
	handle        *engine.Handle // the running operation
	executing     *changeSet     // the change set being executed
	deleteAfter   bool           // DeleteStack came while an operation ran
	deleteRetain  map[string]bool
	onFailure     string          // OnFailure of the last create
	retain        map[string]bool // RetainResources of the last delete
	lastOperation string
}

// settings are the parts of a stack an update replaces together with its
// template: they take effect when it succeeds.
type settings struct {
	cfg          *engine.Config
	values       map[string]string
	capabilities []string
	tags         []types.Tag
	description  string
}

// adopt makes n the stack's settings.
func (s *stack) adopt(n *settings) {
	s.values, s.capabilities, s.tags, s.description = n.values, n.capabilities, n.tags, n.description
}

// live reports whether the stack still exists by name.
func (s *stack) live() bool { return s.status != "DELETE_COMPLETE" }

// busy reports whether an operation is running on the stack.
func (s *stack) busy() bool { return s.handle != nil }

// changeSet is one change set's record.
type changeSet struct {
	id, name      string
	stack         *stack
	kind          string // CREATE, UPDATE
	status        string
	reason        string
	execStatus    string
	description   string
	created       time.Time
	changes       []engine.Change
	cfg           *engine.Config
	values        map[string]string
	capabilities  []string
	notifications []string
	tags          []types.Tag
	roleARN       string
	timeout       *int32
}

// find returns the stack a StackName names: an ARN finds deleted stacks
// too, a name only the live one.
func (st *store) find(nameOrID string) *stack {
	if isARN(nameOrID) {
		return st.byID[nameOrID]
	}
	return st.byName[nameOrID]
}

// findLive is find for operations that need a stack that still exists.
func (st *store) findLive(nameOrID string) (*stack, error) {
	s := st.find(nameOrID)
	if s == nil || !s.live() {
		return nil, errNoStack(nameOrID)
	}
	return s, nil
}

// add registers a new stack.
func (st *store) add(s *stack) {
	s.order = len(st.stacks)
	st.saveStack(s)
	st.stacks = append(st.stacks, s)
	st.byID[s.id] = s
	st.byName[s.name] = s
}

// findChangeSet returns the change set named by ARN, or by name within a
// stack.
func (st *store) findChangeSet(name, stackName string) (*changeSet, error) {
	if isARN(name) {
		if cs := st.changeSets[name]; cs != nil {
			return cs, nil
		}
		return nil, errNoChangeSet(name)
	}
	if stackName == "" {
		return nil, errValidation("StackName must be specified if ChangeSetName is not specified as an ARN.")
	}
	s := st.find(stackName)
	if s != nil {
		for _, cs := range st.changeSets {
			if cs.stack == s && cs.name == name {
				return cs, nil
			}
		}
	}
	return nil, errNoChangeSet(name)
}

// deployed is a copy of what the stack is now, for the engine.
func (s *stack) deployed() *engine.Deployed {
	d := &engine.Deployed{Resources: map[string]*engine.Resource{}}
	if s.dep != nil {
		*d = *s.dep
		d.Resources = map[string]*engine.Resource{}
	}
	for id, r := range s.resources {
		d.Resources[id] = r.Copy()
	}
	return d
}
