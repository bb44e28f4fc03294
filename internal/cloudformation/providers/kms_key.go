package providers

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/localaws/ecsemu/internal/cloudformation/engine"
	"github.com/localaws/ecsemu/internal/cloudformation/props"
)

// KMSKey is AWS::KMS::Key as a record (the emulator has no KMS and
// encrypts nothing): Ref is the key ID, a UUID ("mrk-" and hex for a
// multi-Region key); GetAtt Arn and KeyId. The CDK bootstrap template
// makes one for its staging bucket unless told to use S3's managed key.
type KMSKey struct{ recs *records }

// NewKMSKey returns the AWS::KMS::Key provider.
func NewKMSKey(recs *records) *KMSKey { return &KMSKey{recs: recs} }

const kindKMSKey = "kms-key"

// kmsKeyProps are AWS::KMS::Key's properties, all recorded.
var kmsKeyProps = map[string]bool{
	"Description": true, "Enabled": true, "EnableKeyRotation": true, "KeyPolicy": true, "KeySpec": true,
	"KeyUsage": true, "MultiRegion": true, "Origin": true, "PendingWindowInDays": true,
	"RotationPeriodInDays": true, "Tags": true, "BypassPolicyLockoutSafetyCheck": true,
}

func checkKeyProps(p map[string]any) error {
	for k := range p {
		if !kmsKeyProps[k] {
			return &props.Error{Message: "Encountered unsupported property " + k}
		}
	}
	if _, err := jsonText(p, "KeyPolicy"); err != nil {
		return err
	}
	return nil
}

// Create records a new key.
func (p *KMSKey) Create(_ context.Context, req *engine.Request) (*engine.Result, error) {
	if err := checkKeyProps(req.Properties); err != nil {
		return nil, err
	}
	id := newKeyID(req.Properties["MultiRegion"] == true || req.Properties["MultiRegion"] == "true")
	attrs := map[string]any{"Arn": "arn:" + partitionOf(req) + ":kms:" + req.Region + ":" + req.Account + ":key/" + id, "KeyId": id}
	p.recs.set(recordKey{kindKMSKey, req.Account, req.Region, id}, attrs)
	return &engine.Result{PhysicalID: id, Attributes: attrs}, nil
}

// newKeyID is a random UUID, or a multi-Region key's mrk-<32 hex>.
func newKeyID(multiRegion bool) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	if multiRegion {
		return fmt.Sprintf("mrk-%x", b)
	}
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Update keeps the key: its other properties are only recorded.
func (p *KMSKey) Update(_ context.Context, req *engine.Request) (*engine.Result, error) {
	if err := checkKeyProps(req.Properties); err != nil {
		return nil, err
	}
	attrs, ok := p.recs.get(recordKey{kindKMSKey, req.Account, req.Region, req.PhysicalID})
	if !ok {
		return nil, apiError("NotFoundException", "Key '"+req.PhysicalID+"' does not exist")
	}
	return &engine.Result{PhysicalID: req.PhysicalID, Attributes: attrs}, nil
}

// Delete forgets the key (on AWS it is scheduled for deletion).
func (p *KMSKey) Delete(_ context.Context, req *engine.Request) error {
	p.recs.remove(recordKey{kindKMSKey, req.Account, req.Region, req.PhysicalID})
	return nil
}

// Replaces: a new KeySpec, KeyUsage, MultiRegion or Origin makes a new
// key.
func (p *KMSKey) Replaces(oldProps, newProps map[string]any) bool {
	return anyChanged(oldProps, newProps, "KeySpec", "KeyUsage", "MultiRegion", "Origin")
}
