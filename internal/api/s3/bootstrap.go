package s3

import "strings"

// bootstrapPrefix starts the name of the assets bucket `cdk bootstrap`
// creates with the default qualifier: cdk-hnb659fds-assets-<account>-<region>.
const bootstrapPrefix = "cdk-hnb659fds-assets-"

// BootstrapBucketName is the CDK assets bucket of an account and region.
func BootstrapBucketName(account, region string) string {
	return bootstrapPrefix + account + "-" + region
}

// Bootstrap creates the CDK assets bucket of Options.Account in a region
// unless it exists. The bucket is marked as seeded: the first in-process
// CreateBucket of its name (CloudFormation deploying the bootstrap
// template's StagingBucket) takes it over instead of failing with
// BucketAlreadyOwnedByYou, and it keeps its objects.
func (a *API) Bootstrap(region string) {
	a.seedMu.Lock()
	a.seeded[a.opts.Account+"/"+region] = true
	batch := a.opts.State.Batch()
	batch.Put(kindSeeded+a.opts.Account+"/"+region, true)
	pending := batch.Commit()
	a.seedMu.Unlock()
	wait(pending)
	// An existing bucket of that name (ErrOwnedByYou) is left as it is.
	_ = a.createBucket(a.opts.Account, region, BootstrapBucketName(a.opts.Account, region), false, true)
}

// ensureBootstrapped seeds a region of the configured account the first
// time it is used, with Options.Bootstrap. A bucket deleted afterwards
// stays deleted.
func (a *API) ensureBootstrapped(account, region string) {
	if !a.opts.Bootstrap || account != a.opts.Account || region == "" {
		return
	}
	a.seedMu.Lock()
	done := a.seeded[account+"/"+region]
	a.seedMu.Unlock()
	if !done {
		a.Bootstrap(region)
	}
}

// bootstrapFor seeds the region an assets bucket name names, so that a
// request for cdk-hnb659fds-assets-<account>-<region> finds it whatever
// region the request was signed for.
func (a *API) bootstrapFor(name string) {
	rest, ok := strings.CutPrefix(name, bootstrapPrefix+a.opts.Account+"-")
	if ok && rest != "" {
		a.ensureBootstrapped(a.opts.Account, rest)
	}
}
