package ssm

// GetValue is CloudFormation's in-process read of a parameter of
// Options.Account in a region (AWS::SSM::Parameter::Value<String>
// template parameters): the latest value, or the one a ":version" or
// ":label" selector picks, decrypted, and its version. It fails with the
// SDK's *types.ParameterNotFound or *types.ParameterVersionNotFound.
func (a *API) GetValue(region, name string) (value string, version int64, err error) {
	s := a.Store(region)
	s.mu.Lock()
	defer s.unlock()
	_, v, _, err := s.lookup(name)
	if err != nil {
		return "", 0, err
	}
	return v.value, v.number, nil
}
