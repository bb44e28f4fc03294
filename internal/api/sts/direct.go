package sts

import "github.com/aws/aws-sdk-go-v2/service/sts/types"

// RoleCredentials issues role session credentials in-process, as ECS
// does for a task role (the session name is the task ID), for the role's
// default session duration: calls signed with them report
// assumed-role/<role>/<session>. The role need not exist.
func (a *API) RoleCredentials(roleARN, sessionName string) (*types.Credentials, error) {
	user, d, err := a.session(roleARN, sessionName, nil, false)
	if err != nil {
		return nil, err
	}
	return a.issue(user.identity(), d), nil
}
