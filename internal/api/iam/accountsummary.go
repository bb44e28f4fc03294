package iam

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// GetAccountSummary counts the account's entities and states IAM's
// default quotas (which, apart from those the operations check, nothing
// enforces).
func (s *Store) GetAccountSummary(_ context.Context, _ *iam.GetAccountSummaryInput) (*iam.GetAccountSummaryOutput, error) {
	s.mu.Lock()
	defer s.unlock()
	return &iam.GetAccountSummaryOutput{SummaryMap: map[string]int32{
		"Users":                           int32(len(s.users)),
		"UsersQuota":                      5000,
		"Roles":                           int32(len(s.roles)),
		"RolesQuota":                      1000,
		"Policies":                        int32(len(s.policies)),
		"PoliciesQuota":                   1500,
		"PolicyVersionsInUse":             int32(s.versionsInUse()),
		"PolicyVersionsInUseQuota":        10000,
		"VersionsPerPolicyQuota":          maxPolicyVersions,
		"AttachedPoliciesPerRoleQuota":    maxAttached,
		"AttachedPoliciesPerUserQuota":    maxAttached,
		"InstanceProfiles":                int32(len(s.profiles)),
		"InstanceProfilesQuota":           1000,
		"ServerCertificates":              int32(len(s.certs)),
		"ServerCertificatesQuota":         20,
		"AccessKeysPerUserQuota":          maxAccessKeys,
		"AccountAccessKeysPresent":        0,
		"AccountMFAEnabled":               0,
		"Groups":                          0,
		"GroupsQuota":                     300,
		"PolicySizeQuota":                 6144,
		"UserPolicySizeQuota":             2048,
		"RolePolicySizeQuota":             10240,
		"AssumeRolePolicySizeQuota":       2048,
		"MFADevices":                      0,
		"MFADevicesInUse":                 0,
		"SigningCertificatesPerUserQuota": 2,
		"GlobalEndpointTokenVersion":      1,
		"AttachedPoliciesPerGroupQuota":   maxAttached,
		"GroupsPerUserQuota":              10,
		"GroupPolicySizeQuota":            5120,
		"ProvidersPerAccount":             0,
	}}, nil
}

// versionsInUse counts the managed policies (one default version each)
// attached anywhere; the caller holds the lock.
func (s *Store) versionsInUse() int {
	n := 0
	for _, count := range s.attachments {
		if count > 0 {
			n++
		}
	}
	return n
}
