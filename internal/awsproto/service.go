package awsproto

import "slices"

// Protocol is the wire protocol of an AWS service.
type Protocol string

// The protocols the endpoint speaks.
const (
	ProtocolJSON  Protocol = "json"  // awsJson1_1: X-Amz-Target, JSON bodies
	ProtocolQuery Protocol = "query" // awsQuery: Action/Version form, XML with <member> lists
	ProtocolEC2   Protocol = "ec2"   // ec2Query: Action/Version form, EC2's XML
	ProtocolREST  Protocol = "rest"  // REST (S3): the handler gets the raw request
)

// ServiceSpec is everything the endpoint needs to know to route a request
// to a service and to write its answers. Each service package owns its
// spec; the server keeps them in one table.
type ServiceSpec struct {
	Name         string     // endpoint prefix as AWS names it ("ecs", "sts", "cloudformation"), used in logs and errors
	SigningName  string     // SigV4 credential-scope service name
	Protocol     Protocol   //
	TargetPrefix string     // ProtocolJSON: the X-Amz-Target prefix ("AmazonSSM")
	APIVersion   string     // ProtocolQuery, ProtocolEC2: the Version parameter ("2011-06-15")
	XMLNamespace string     // ProtocolQuery, ProtocolEC2: xmlns of responses and errors
	Naming       Naming     // ProtocolJSON: member naming
	Status       StatusFunc // HTTP status of an error; nil means DefaultStatus
}

// StatusOf is the spec's status function, DefaultStatus when it has none.
func (s ServiceSpec) StatusOf() StatusFunc {
	if s.Status == nil {
		return DefaultStatus
	}
	return s.Status
}

// Router classifies requests against a table of service specs.
type Router struct {
	byTarget  map[string]string
	byVersion map[string][]ServiceSpec
	bySigning map[string]ServiceSpec
}

// NewRouter indexes specs. Two query services may share an API version
// (they are told apart by signing name); a target prefix or signing name
// belongs to one service.
func NewRouter(specs []ServiceSpec) *Router {
	rt := &Router{byTarget: map[string]string{}, byVersion: map[string][]ServiceSpec{}, bySigning: map[string]ServiceSpec{}}
	for _, s := range specs {
		if s.TargetPrefix != "" {
			rt.byTarget[s.TargetPrefix] = s.Name
		}
		if s.APIVersion != "" {
			rt.byVersion[s.APIVersion] = append(rt.byVersion[s.APIVersion], s)
		}
		if s.SigningName != "" {
			rt.bySigning[s.SigningName] = s
		}
	}
	return rt
}

// byQueryVersion picks the query service of an API version, using the
// signing name when several share it.
func (rt *Router) byQueryVersion(version, signing string) (ServiceSpec, bool) {
	specs := rt.byVersion[version]
	if i := slices.IndexFunc(specs, func(s ServiceSpec) bool { return s.SigningName == signing }); i >= 0 {
		return specs[i], true
	}
	if len(specs) == 1 {
		return specs[0], true
	}
	return ServiceSpec{}, false
}
