package providers

import (
	"maps"
	"sync"

	"github.com/aws/smithy-go"
)

// records is the table of resources that exist only as CloudFormation
// records, because the emulator has no service behind them: ECR
// repositories (the CDK bootstrap template has one), KMS keys and
// aliases, Lambda functions and permissions. It keeps what a stack needs
// of them (names unique per account and region, attributes for
// Fn::GetAtt, the links an alias or permission checks) and nothing runs.
type records struct {
	mu    sync.Mutex
	items map[recordKey]map[string]any
}

// recordKey names one record: its kind ("ecr-repository", …), account,
// region and name.
type recordKey struct{ kind, account, region, name string }

func newRecords() *records { return &records{items: map[recordKey]map[string]any{}} }

// add stores a new record; false when one of that name exists.
func (r *records) add(k recordKey, attrs map[string]any) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.items[k]; ok {
		return false
	}
	r.items[k] = maps.Clone(attrs)
	return true
}

// set stores a record, new or not.
func (r *records) set(k recordKey, attrs map[string]any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.items[k] = maps.Clone(attrs)
}

// get returns a copy of a record's attributes.
func (r *records) get(k recordKey) (map[string]any, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.items[k]
	return maps.Clone(a), ok
}

// remove deletes a record; a missing one is no error.
func (r *records) remove(k recordKey) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.items, k)
}

// find returns the first record of a kind, account and region whose
// attribute attr equals value (a key by its ARN, say).
func (r *records) find(kind, account, region, attr, value string) (recordKey, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, a := range r.items {
		if k.kind == kind && k.account == account && k.region == region && a[attr] == value {
			return k, true
		}
	}
	return recordKey{}, false
}

// apiError is an AWS error of a service without an SDK module here (ECR,
// KMS, Lambda): the code and message that service answers.
func apiError(code, msg string) error {
	return &smithy.GenericAPIError{Code: code, Message: msg, Fault: smithy.FaultClient}
}
