package template

// Pseudo holds the values of the pseudo parameters. Empty Partition and
// URLSuffix mean the commercial partition ("aws", "amazonaws.com").
type Pseudo struct {
	AccountID, Region, Partition, URLSuffix, StackName, StackID string
	NotificationARNs                                            []string
}

// Resolver supplies what only the engine knows while a stack is deployed.
type Resolver interface {
	Ref(logicalID string) (string, bool)             // physical ID of a resource created so far
	GetAtt(logicalID, attribute string) (any, error) // attribute of a created resource
	ImportValue(exportName string) (string, error)   // Fn::ImportValue
	AZs(region string) []string                      // Fn::GetAZs
}

// ParameterAttributeResolver is what a Resolver may also implement to serve
// the rule functions Fn::ValueOf and Fn::ValueOfAll, which read an attribute
// of the AWS resource a parameter names (for example the VpcId of a subnet).
type ParameterAttributeResolver interface {
	ParameterAttribute(parameterType, value, attribute string) (string, error)
}

// Context is what evaluation reads: parameter values (string or []string),
// pseudo parameters, evaluated conditions, the engine's resolver and the
// template itself (for Mappings, parameter types and resource names).
type Context struct {
	Params     map[string]any
	Pseudo     Pseudo
	Conditions map[string]bool
	Resolver   Resolver
	Template   *Template
}

// pseudoValue returns the value of AWS::X, or false if name is not one.
func (c *Context) pseudoValue(name string) (any, bool) {
	p := c.Pseudo
	switch name {
	case "AWS::AccountId":
		return p.AccountID, true
	case "AWS::Region":
		return p.Region, true
	case "AWS::StackName":
		return p.StackName, true
	case "AWS::StackId":
		return p.StackID, true
	case "AWS::Partition":
		if p.Partition == "" {
			return "aws", true
		}
		return p.Partition, true
	case "AWS::URLSuffix":
		if p.URLSuffix == "" {
			return "amazonaws.com", true
		}
		return p.URLSuffix, true
	case "AWS::NotificationARNs":
		out := make([]any, len(p.NotificationARNs))
		for i, a := range p.NotificationARNs {
			out[i] = a
		}
		return out, true
	case "AWS::NoValue":
		return noValue{}, true
	}
	return nil, false
}

// isPseudo reports whether name is a pseudo parameter.
func isPseudo(name string) bool {
	_, ok := (&Context{}).pseudoValue(name)
	return ok
}

// noValue is what AWS::NoValue evaluates to: the enclosing key or list
// element disappears.
type noValue struct{}
