package servicediscovery

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"time"

	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
)

// The asynchronous operation model (spec §3.4.6).
//
// No goroutine runs an operation. The request changes the resource at once
// (so ECS, DiscoverInstances and the DNS server see a namespace or an
// instance immediately) and records an operation whose status is a pure
// function of its age, evaluated with the injected clock whenever
// GetOperation or ListOperations looks at it:
//
//	age < 100 ms            SUBMITTED   (UpdateDate = CreateDate)
//	100 ms ≤ age < 300 ms   PENDING     (UpdateDate = CreateDate + 100 ms)
//	age ≥ 300 ms            SUCCESS     (UpdateDate = CreateDate + 300 ms)
//
// Pollers (CloudFormation, scripts, the CLI) therefore see the whole
// lifecycle within a third of a second and never an operation stuck in
// SUBMITTED. Requests are validated synchronously, so an accepted
// operation succeeds, with one exception AWS has too: a private DNS
// namespace whose VPC does not exist is accepted, and its operation ends
// in FAIL (CANNOT_CREATE_HOSTED_ZONE, Route 53's refusal) instead of
// SUCCESS, with no namespace created.
//
// Operations are forgotten 24 hours after they were submitted.
const (
	operationPendingAfter = 100 * time.Millisecond
	operationDoneAfter    = 300 * time.Millisecond
	operationRetention    = 24 * time.Hour
)

// operation is a recorded asynchronous operation.
type operation struct {
	id          string
	typ         types.OperationType
	targets     map[string]string // NAMESPACE / SERVICE / INSTANCE → ID
	namespaceID string            // for the NAMESPACE_ID filter, also of service and instance operations
	serviceID   string            // for the SERVICE_ID filter
	requestID   string            // CreatorRequestId / UpdaterRequestId, for DuplicateRequest
	created     time.Time
	seq         uint64
	failure     *operationFailure // set: the operation ends in FAIL
}

// operationFailure is why an operation failed: its ErrorCode and
// ErrorMessage.
type operationFailure struct{ code, message string }

// status is the operation's status at now and when it last changed.
func (o *operation) status(now time.Time) (types.OperationStatus, time.Time) {
	switch age := now.Sub(o.created); {
	case age < operationPendingAfter:
		return types.OperationStatusSubmitted, o.created
	case age < operationDoneAfter:
		return types.OperationStatusPending, o.created.Add(operationPendingAfter)
	case o.failure != nil:
		return types.OperationStatusFail, o.created.Add(operationDoneAfter)
	default:
		return types.OperationStatusSuccess, o.created.Add(operationDoneAfter)
	}
}

// inProgress reports whether the operation has not finished at now.
func (o *operation) inProgress(now time.Time) bool {
	st, _ := o.status(now)
	return st == types.OperationStatusSubmitted || st == types.OperationStatusPending
}

// newOperation records an operation submitted now and returns its ID.
// Callers hold the lock.
func (s *Store) newOperation(typ types.OperationType, targets map[string]string, namespaceID, serviceID, requestID string) string {
	now := s.timestamp()
	for id, o := range s.operations {
		if now.Sub(o.created) > operationRetention {
			delete(s.operations, id)
			s.touch(kindOperation, id)
		}
	}
	o := &operation{
		id: s.ids.OperationID(), typ: typ, targets: targets,
		namespaceID: namespaceID, serviceID: serviceID, requestID: requestID,
		created: now, seq: s.nextSeq(),
	}
	s.operations[o.id] = o
	s.touch(kindOperation, o.id)
	return o.id
}

// inFlight returns an unfinished operation of type typ submitted with the
// same request ID for the same target, or nil: a retry of a request still
// in progress is a DuplicateRequest. Callers hold the lock.
func (s *Store) inFlight(typ types.OperationType, requestID, targetType, targetID string) *operation {
	if requestID == "" {
		return nil
	}
	now := s.now()
	for _, o := range s.operations {
		if o.typ == typ && o.requestID == requestID && o.targets[targetType] == targetID && o.inProgress(now) {
			return o
		}
	}
	return nil
}

func (s *Store) operationView(o *operation, now time.Time) *types.Operation {
	st, updated := o.status(now)
	targets := make(map[string]string, len(o.targets))
	for k, v := range o.targets {
		targets[k] = v
	}
	created := o.created
	v := &types.Operation{
		Id:           ptr(o.id),
		Type:         o.typ,
		Status:       st,
		CreateDate:   &created,
		UpdateDate:   &updated,
		Targets:      targets,
		OwnerAccount: ptr(s.account),
	}
	if st == types.OperationStatusFail {
		v.ErrorCode, v.ErrorMessage = ptr(o.failure.code), ptr(o.failure.message)
	}
	return v
}

func (s *Store) GetOperation(_ context.Context, in *sd.GetOperationInput) (*sd.GetOperationOutput, error) {
	id := deref(in.OperationId)
	if id == "" {
		return nil, errRequired("operationId")
	}
	if len(id) > 255 {
		return nil, errValidation(id, "operationId", "Member must have length less than or equal to 255")
	}
	if err := validOwnerAccount(in.OwnerAccount); err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	o, ok := s.operations[id]
	if !ok || (in.OwnerAccount != nil && *in.OwnerAccount != s.account) {
		return nil, errOperationNotFound(id)
	}
	return &sd.GetOperationOutput{Operation: s.operationView(o, s.now())}, nil
}

// operationMatch is one ListOperations filter.
type operationMatch func(o *operation, status types.OperationStatus, updated time.Time) bool

func (s *Store) ListOperations(_ context.Context, in *sd.ListOperationsInput) (*sd.ListOperationsOutput, error) {
	matches, err := s.operationFilters(in.Filters)
	if err != nil {
		return nil, err
	}
	unlock := s.lock()
	defer unlock()
	now := s.now()
	ops := make([]*operation, 0, len(s.operations))
	for _, o := range s.operations {
		ops = append(ops, o)
	}
	slices.SortFunc(ops, func(a, b *operation) int { return cmp.Compare(a.seq, b.seq) })
	var out []types.OperationSummary
next:
	for _, o := range ops {
		st, updated := o.status(now)
		for _, m := range matches {
			if !m(o, st, updated) {
				continue next
			}
		}
		out = append(out, types.OperationSummary{Id: ptr(o.id), Status: st})
	}
	pg, token, err := page(out, in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	return &sd.ListOperationsOutput{Operations: nonNil(pg), NextToken: token}, nil
}

// operationFilters checks ListOperations filters (spec §3.4.6): NAMESPACE_ID
// and SERVICE_ID with EQ and one value; STATUS and TYPE with EQ (one value)
// or IN (one or more); UPDATE_DATE with BETWEEN and two epoch times, start
// first.
func (s *Store) operationFilters(filters []types.OperationFilter) ([]operationMatch, error) {
	var out []operationMatch
	for _, f := range filters {
		cond := f.Condition
		if cond == "" {
			cond = types.FilterConditionEq
			if f.Name == types.OperationFilterNameUpdateDate {
				cond = types.FilterConditionBetween
			}
		}
		if len(f.Values) == 0 {
			return nil, errRequired("filters.member.values")
		}
		one := func() error {
			if cond != types.FilterConditionEq {
				return errInvalidInput("Filter %s supports only the EQ condition, not %s", f.Name, cond)
			}
			if len(f.Values) != 1 {
				return errInvalidInput("Filter %s with condition EQ takes exactly one value", f.Name)
			}
			return nil
		}
		oneOrMore := func() error {
			switch cond {
			case types.FilterConditionEq:
				return one()
			case types.FilterConditionIn:
				return nil
			}
			return errInvalidInput("Filter %s supports only the EQ and IN conditions, not %s", f.Name, cond)
		}
		switch f.Name {
		case types.OperationFilterNameNamespaceId:
			if err := one(); err != nil {
				return nil, err
			}
			id, _ := s.refID(f.Values[0], "namespace")
			out = append(out, func(o *operation, _ types.OperationStatus, _ time.Time) bool { return o.namespaceID == id })
		case types.OperationFilterNameServiceId:
			if err := one(); err != nil {
				return nil, err
			}
			id, _ := s.refID(f.Values[0], "service")
			out = append(out, func(o *operation, _ types.OperationStatus, _ time.Time) bool { return o.serviceID == id })
		case types.OperationFilterNameStatus:
			if err := oneOrMore(); err != nil {
				return nil, err
			}
			want := map[types.OperationStatus]bool{}
			for _, v := range f.Values {
				if v == "SUCCEED" { // the API reference's spelling of SUCCESS
					v = string(types.OperationStatusSuccess)
				}
				st := types.OperationStatus(v)
				if !slices.Contains(st.Values(), st) {
					return nil, errValidation(v, "filters.member.values", "Member must satisfy enum value set: [SUBMITTED, PENDING, SUCCESS, FAIL]")
				}
				want[st] = true
			}
			out = append(out, func(_ *operation, st types.OperationStatus, _ time.Time) bool { return want[st] })
		case types.OperationFilterNameType:
			if err := oneOrMore(); err != nil {
				return nil, err
			}
			want := map[types.OperationType]bool{}
			for _, v := range f.Values {
				t := types.OperationType(v)
				if !slices.Contains(t.Values(), t) {
					return nil, errValidation(v, "filters.member.values", "Member must satisfy enum value set: [CREATE_NAMESPACE, DELETE_NAMESPACE, UPDATE_NAMESPACE, UPDATE_SERVICE, REGISTER_INSTANCE, DEREGISTER_INSTANCE]")
				}
				want[t] = true
			}
			out = append(out, func(o *operation, _ types.OperationStatus, _ time.Time) bool { return want[o.typ] })
		case types.OperationFilterNameUpdateDate:
			if cond != types.FilterConditionBetween || len(f.Values) != 2 {
				return nil, errInvalidInput("Filter UPDATE_DATE takes the BETWEEN condition and two values, a start and an end date")
			}
			from, err1 := parseDate(f.Values[0])
			to, err2 := parseDate(f.Values[1])
			if err1 != nil || err2 != nil {
				return nil, errInvalidInput("Filter UPDATE_DATE values must be dates in Unix time: %q, %q", f.Values[0], f.Values[1])
			}
			if to.Before(from) {
				return nil, errInvalidInput("Filter UPDATE_DATE: the start date must come first")
			}
			out = append(out, func(_ *operation, _ types.OperationStatus, updated time.Time) bool {
				return !updated.Before(from) && !updated.After(to)
			})
		default:
			return nil, errValidation(f.Name, "filters.member.name", "Member must satisfy enum value set: [NAMESPACE_ID, SERVICE_ID, STATUS, TYPE, UPDATE_DATE]")
		}
	}
	return out, nil
}

// parseDate reads a filter date: Unix seconds (fractions allowed, as the
// wire's timestamps) or RFC 3339.
func parseDate(v string) (time.Time, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)), nil
	}
	return time.Parse(time.RFC3339Nano, v)
}

// nonNil returns s, or an empty slice for nil, so lists encode as [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
