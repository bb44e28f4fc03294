package secretsmanager

// operations maps each implemented Secrets Manager operation to its
// handler. Every other operation (rotation, replication, resource
// policies, batch reads) gets UnknownOperationException.
func operations() map[string]handler {
	return map[string]handler{
		"CreateSecret":             op((*Store).CreateSecret),
		"GetSecretValue":           op((*Store).GetSecretValue),
		"PutSecretValue":           op((*Store).PutSecretValue),
		"UpdateSecret":             op((*Store).UpdateSecret),
		"UpdateSecretVersionStage": op((*Store).UpdateSecretVersionStage),
		"DeleteSecret":             op((*Store).DeleteSecret),
		"RestoreSecret":            op((*Store).RestoreSecret),
		"DescribeSecret":           op((*Store).DescribeSecret),
		"ListSecrets":              op((*Store).ListSecrets),
		"ListSecretVersionIds":     op((*Store).ListSecretVersionIds),
		"TagResource":              op((*Store).TagResource),
		"UntagResource":            op((*Store).UntagResource),
		"GetRandomPassword":        op((*Store).GetRandomPassword),
	}
}
