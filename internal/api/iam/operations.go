package iam

// operations maps each implemented IAM operation to its handler.
func operations() map[string]handler {
	return map[string]handler{
		// Roles.
		"CreateRole":             op((*Store).CreateRole),
		"GetRole":                op((*Store).GetRole),
		"ListRoles":              op((*Store).ListRoles),
		"UpdateRole":             op((*Store).UpdateRole),
		"UpdateRoleDescription":  op((*Store).UpdateRoleDescription),
		"UpdateAssumeRolePolicy": op((*Store).UpdateAssumeRolePolicy),
		"DeleteRole":             op((*Store).DeleteRole),
		"TagRole":                op((*Store).TagRole),
		"UntagRole":              op((*Store).UntagRole),
		"ListRoleTags":           op((*Store).ListRoleTags),
		// Permissions boundaries.
		"PutRolePermissionsBoundary":    op((*Store).PutRolePermissionsBoundary),
		"DeleteRolePermissionsBoundary": op((*Store).DeleteRolePermissionsBoundary),
		"PutUserPermissionsBoundary":    op((*Store).PutUserPermissionsBoundary),
		"DeleteUserPermissionsBoundary": op((*Store).DeleteUserPermissionsBoundary),
		// Inline role policies.
		"PutRolePolicy":    op((*Store).PutRolePolicy),
		"GetRolePolicy":    op((*Store).GetRolePolicy),
		"ListRolePolicies": op((*Store).ListRolePolicies),
		"DeleteRolePolicy": op((*Store).DeleteRolePolicy),
		// Managed policies.
		"CreatePolicy":            op((*Store).CreatePolicy),
		"GetPolicy":               op((*Store).GetPolicy),
		"GetPolicyVersion":        op((*Store).GetPolicyVersion),
		"CreatePolicyVersion":     op((*Store).CreatePolicyVersion),
		"DeletePolicyVersion":     op((*Store).DeletePolicyVersion),
		"ListPolicyVersions":      op((*Store).ListPolicyVersions),
		"SetDefaultPolicyVersion": op((*Store).SetDefaultPolicyVersion),
		"ListPolicies":            op((*Store).ListPolicies),
		"DeletePolicy":            op((*Store).DeletePolicy),
		// Attachments.
		"AttachRolePolicy":         op((*Store).AttachRolePolicy),
		"DetachRolePolicy":         op((*Store).DetachRolePolicy),
		"ListAttachedRolePolicies": op((*Store).ListAttachedRolePolicies),
		"AttachUserPolicy":         op((*Store).AttachUserPolicy),
		"DetachUserPolicy":         op((*Store).DetachUserPolicy),
		"ListAttachedUserPolicies": op((*Store).ListAttachedUserPolicies),
		// Instance profiles.
		"CreateInstanceProfile":         op((*Store).CreateInstanceProfile),
		"GetInstanceProfile":            op((*Store).GetInstanceProfile),
		"DeleteInstanceProfile":         op((*Store).DeleteInstanceProfile),
		"AddRoleToInstanceProfile":      op((*Store).AddRoleToInstanceProfile),
		"RemoveRoleFromInstanceProfile": op((*Store).RemoveRoleFromInstanceProfile),
		"ListInstanceProfiles":          op((*Store).ListInstanceProfiles),
		"ListInstanceProfilesForRole":   op((*Store).ListInstanceProfilesForRole),
		// Users, their inline policies and access keys.
		"CreateUser":       op((*Store).CreateUser),
		"GetUser":          op((*Store).GetUser),
		"ListUsers":        op((*Store).ListUsers),
		"DeleteUser":       op((*Store).DeleteUser),
		"UpdateUser":       op((*Store).UpdateUser),
		"TagUser":          op((*Store).TagUser),
		"UntagUser":        op((*Store).UntagUser),
		"ListUserTags":     op((*Store).ListUserTags),
		"PutUserPolicy":    op((*Store).PutUserPolicy),
		"GetUserPolicy":    op((*Store).GetUserPolicy),
		"ListUserPolicies": op((*Store).ListUserPolicies),
		"DeleteUserPolicy": op((*Store).DeleteUserPolicy),
		"CreateAccessKey":  op((*Store).CreateAccessKey),
		"ListAccessKeys":   op((*Store).ListAccessKeys),
		"DeleteAccessKey":  op((*Store).DeleteAccessKey),
		"UpdateAccessKey":  op((*Store).UpdateAccessKey),
		// Server certificates.
		"UploadServerCertificate": op((*Store).UploadServerCertificate),
		"GetServerCertificate":    op((*Store).GetServerCertificate),
		"ListServerCertificates":  op((*Store).ListServerCertificates),
		"DeleteServerCertificate": op((*Store).DeleteServerCertificate),
		// Service-linked roles and the account.
		"CreateServiceLinkedRole":            op((*Store).CreateServiceLinkedRole),
		"DeleteServiceLinkedRole":            op((*Store).DeleteServiceLinkedRole),
		"GetServiceLinkedRoleDeletionStatus": op((*Store).GetServiceLinkedRoleDeletionStatus),
		"GetAccountSummary":                  op((*Store).GetAccountSummary),
	}
}
