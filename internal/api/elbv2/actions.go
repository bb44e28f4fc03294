package elbv2

import (
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/localaws/ecsemu/internal/clone"
)

const (
	maxActions            = 5
	maxForwardTargets     = 5
	maxConditionValues    = 5
	maxConditionWildcards = 5
	maxOrder              = 50000
)

// actionContext is what validating an action needs to know about the
// listener it will run on.
type actionContext struct {
	lbARN    string
	protocol types.ProtocolEnum
	member   string // "defaultActions" or "actions", for messages
}

// normalizeActions validates listener default actions or rule actions and
// returns the copy to store: sorted by Order, with the forms AWS echoes
// (a forward to one target group carries both TargetGroupArn and
// ForwardConfig with weight 1; a redirect has every component filled in).
func (s *Store) normalizeActions(actions []types.Action, ac actionContext) ([]types.Action, error) {
	if len(actions) == 0 {
		return nil, errRequired(ac.member)
	}
	if len(actions) > maxActions {
		return nil, &types.TooManyActionsException{Message: msgf("A rule can have at most %d actions", maxActions)}
	}
	out := clone.Of(actions)
	orders := map[int32]bool{}
	for i := range out {
		a := &out[i]
		member := ac.member + "." + itoa(i+1) + ".member"
		if a.Type == "" {
			return nil, errRequired(member + ".type")
		}
		if a.Order != nil {
			if err := validRange(a.Order, member+".order", 1, maxOrder); err != nil {
				return nil, err
			}
			if orders[*a.Order] {
				return nil, errValidation("Action order '%d' is specified more than once", *a.Order)
			}
			orders[*a.Order] = true
		} else if len(out) > 1 {
			return nil, errValidation("An order must be specified for every action when there are several actions")
		}
		if err := s.normalizeAction(a, ac, member); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return deref(out[i].Order) < deref(out[j].Order) })
	for i, a := range out {
		last := i == len(out)-1
		if terminal(a.Type) != last {
			return nil, errInvalidAction("A rule must end with exactly one forward, redirect or fixed-response action, after any authentication actions")
		}
	}
	return out, nil
}

func terminal(t types.ActionTypeEnum) bool {
	switch t {
	case types.ActionTypeEnumForward, types.ActionTypeEnumRedirect, types.ActionTypeEnumFixedResponse:
		return true
	}
	return false
}

// normalizeAction checks one action in place.
func (s *Store) normalizeAction(a *types.Action, ac actionContext, member string) error {
	configs := map[types.ActionTypeEnum]bool{
		types.ActionTypeEnumForward:             a.ForwardConfig != nil || a.TargetGroupArn != nil,
		types.ActionTypeEnumRedirect:            a.RedirectConfig != nil,
		types.ActionTypeEnumFixedResponse:       a.FixedResponseConfig != nil,
		types.ActionTypeEnumAuthenticateOidc:    a.AuthenticateOidcConfig != nil,
		types.ActionTypeEnumAuthenticateCognito: a.AuthenticateCognitoConfig != nil,
		types.ActionTypeEnumJwtValidation:       a.JwtValidationConfig != nil,
	}
	if _, known := configs[a.Type]; !known {
		return errConstraint(a.Type, member+".type", "Member must satisfy enum value set: [forward, authenticate-oidc, authenticate-cognito, redirect, fixed-response, jwt-validation]")
	}
	for t, set := range configs {
		if set && t != a.Type {
			return errValidation("An action of type '%s' cannot carry the configuration of a '%s' action", a.Type, t)
		}
	}
	switch a.Type {
	case types.ActionTypeEnumForward:
		return s.normalizeForward(a, ac)
	case types.ActionTypeEnumRedirect:
		return normalizeRedirect(a.RedirectConfig)
	case types.ActionTypeEnumFixedResponse:
		return validFixedResponse(a.FixedResponseConfig)
	case types.ActionTypeEnumAuthenticateOidc:
		return normalizeOidc(a.AuthenticateOidcConfig, ac)
	case types.ActionTypeEnumAuthenticateCognito:
		return normalizeCognito(a.AuthenticateCognitoConfig, ac)
	case types.ActionTypeEnumJwtValidation:
		c := a.JwtValidationConfig
		if c == nil || c.Issuer == nil || c.JwksEndpoint == nil {
			return errValidation("A jwt-validation action needs JwtValidationConfig with Issuer and JwksEndpoint")
		}
	}
	return nil
}

func (s *Store) normalizeForward(a *types.Action, ac actionContext) error {
	fc := a.ForwardConfig
	if fc == nil {
		if a.TargetGroupArn == nil {
			return errValidation("A forward action needs TargetGroupArn or ForwardConfig")
		}
		fc = &types.ForwardActionConfig{TargetGroups: []types.TargetGroupTuple{{TargetGroupArn: ptr(*a.TargetGroupArn)}}}
	}
	if len(fc.TargetGroups) == 0 {
		return errValidation("A forward action needs at least one target group")
	}
	if len(fc.TargetGroups) > maxForwardTargets {
		return errValidation("A forward action can have at most %d target groups", maxForwardTargets)
	}
	seen := map[string]bool{}
	for i := range fc.TargetGroups {
		t := &fc.TargetGroups[i]
		if t.TargetGroupArn == nil {
			return errRequired(ac.member + ".forwardConfig.targetGroups." + itoa(i+1) + ".member.targetGroupArn")
		}
		arn := *t.TargetGroupArn
		if seen[arn] {
			return errValidation("Target group '%s' is specified more than once in the forward action", arn)
		}
		seen[arn] = true
		if t.Weight == nil {
			t.Weight = ptr[int32](1)
		}
		if err := validRange(t.Weight, "weight", 0, 999); err != nil {
			return err
		}
		if err := s.forwardable(arn, ac); err != nil {
			return err
		}
	}
	if a.TargetGroupArn != nil && a.ForwardConfig != nil && (len(fc.TargetGroups) != 1 || *fc.TargetGroups[0].TargetGroupArn != *a.TargetGroupArn) {
		return errValidation("TargetGroupArn and ForwardConfig name different target groups")
	}
	st := fc.TargetGroupStickinessConfig
	if st == nil {
		st = &types.TargetGroupStickinessConfig{}
	}
	if st.Enabled == nil {
		st.Enabled = ptr(false)
	}
	if *st.Enabled {
		if st.DurationSeconds == nil {
			return errValidation("A duration must be specified to enable target group stickiness")
		}
		if err := validRange(st.DurationSeconds, "durationSeconds", 1, 604800); err != nil {
			return err
		}
	}
	fc.TargetGroupStickinessConfig = st
	a.ForwardConfig = fc
	if len(fc.TargetGroups) == 1 {
		a.TargetGroupArn = ptr(*fc.TargetGroups[0].TargetGroupArn)
	}
	return nil
}

// forwardable checks that a load balancer may forward to a target group:
// it exists, and it is not attached to another load balancer (an ALB
// target group serves one load balancer).
func (s *Store) forwardable(tgARN string, ac actionContext) error {
	if s.tgs[tgARN] == nil {
		return errTargetGroupRefNotFound(tgARN)
	}
	for _, lb := range s.used[tgARN] {
		if lb != ac.lbARN {
			return &types.TargetGroupAssociationLimitException{Message: msgf("The following target groups cannot be associated with more than one load balancer: %s", tgARN)}
		}
	}
	return nil
}

func normalizeRedirect(c *types.RedirectActionConfig) error {
	if c == nil {
		return errValidation("A redirect action needs RedirectConfig")
	}
	switch c.StatusCode {
	case types.RedirectActionStatusCodeEnumHttp301, types.RedirectActionStatusCodeEnumHttp302:
	case "":
		return errRequired("redirectConfig.statusCode")
	default:
		return errConstraint(c.StatusCode, "redirectConfig.statusCode", "Member must satisfy enum value set: [HTTP_301, HTTP_302]")
	}
	changed := false
	fill := func(p **string, def string) {
		if *p == nil {
			*p = ptr(def)
		} else if **p != def {
			changed = true
		}
	}
	fill(&c.Protocol, "#{protocol}")
	fill(&c.Port, "#{port}")
	fill(&c.Host, "#{host}")
	fill(&c.Path, "/#{path}")
	fill(&c.Query, "#{query}")
	switch *c.Protocol {
	case "HTTP", "HTTPS", "#{protocol}":
	default:
		return errValidation("Redirect protocol '%s' must be 'HTTP', 'HTTPS' or '#{protocol}'", *c.Protocol)
	}
	if *c.Port != "#{port}" {
		if n, err := strconv.Atoi(*c.Port); err != nil || n < 1 || n > 65535 {
			return errValidation("Redirect port '%s' must be '#{port}' or a port between 1 and 65535", *c.Port)
		}
	}
	if *c.Host == "" || len(*c.Host) > 128 {
		return errValidation("Redirect host must be between 1 and 128 characters long")
	}
	if !strings.HasPrefix(*c.Path, "/") || len(*c.Path) > 128 {
		return errValidation("Redirect path '%s' must start with '/' and be at most 128 characters long", *c.Path)
	}
	if strings.HasPrefix(*c.Query, "?") || len(*c.Query) > 128 {
		return errValidation("Redirect query must not start with '?' and must be at most 128 characters long")
	}
	if !changed {
		return errInvalidAction("The redirect configuration is not valid: change at least one of protocol, port, host, path or query to avoid a redirect loop")
	}
	return nil
}

var (
	fixedStatusPattern = regexp.MustCompile(`^(2|4|5)\d\d$`)
	fixedContentTypes  = []string{"text/plain", "text/css", "text/html", "application/javascript", "application/json"}
)

func validFixedResponse(c *types.FixedResponseActionConfig) error {
	if c == nil {
		return errValidation("A fixed-response action needs FixedResponseConfig")
	}
	if c.StatusCode == nil {
		return errRequired("fixedResponseConfig.statusCode")
	}
	if !fixedStatusPattern.MatchString(*c.StatusCode) {
		return errConstraint(*c.StatusCode, "fixedResponseConfig.statusCode", "Member must satisfy regular expression pattern: ^(2|4|5)\\d\\d$")
	}
	if c.ContentType != nil && !slices.Contains(fixedContentTypes, *c.ContentType) {
		return errValidation("Content type '%s' must be one of '%s'", *c.ContentType, strings.Join(fixedContentTypes, ", "))
	}
	if c.MessageBody != nil && len(*c.MessageBody) > 1024 {
		return errConstraint(len(*c.MessageBody), "fixedResponseConfig.messageBody", "Member must have length less than or equal to 1024")
	}
	return nil
}

func authOnHTTPS(ac actionContext) error {
	if ac.protocol != types.ProtocolEnumHttps {
		return errInvalidAction("Authentication actions are supported only on HTTPS listeners")
	}
	return nil
}

func normalizeOidc(c *types.AuthenticateOidcActionConfig, ac actionContext) error {
	if err := authOnHTTPS(ac); err != nil {
		return err
	}
	if c == nil || c.Issuer == nil || c.AuthorizationEndpoint == nil || c.TokenEndpoint == nil || c.UserInfoEndpoint == nil || c.ClientId == nil {
		return errValidation("An authenticate-oidc action needs Issuer, AuthorizationEndpoint, TokenEndpoint, UserInfoEndpoint and ClientId")
	}
	c.ClientSecret = nil // never returned by AWS
	c.UseExistingClientSecret = nil
	authDefaults(&c.Scope, &c.SessionCookieName, &c.SessionTimeout)
	if c.OnUnauthenticatedRequest == "" {
		c.OnUnauthenticatedRequest = types.AuthenticateOidcActionConditionalBehaviorEnumAuthenticate
	}
	return nil
}

func normalizeCognito(c *types.AuthenticateCognitoActionConfig, ac actionContext) error {
	if err := authOnHTTPS(ac); err != nil {
		return err
	}
	if c == nil || c.UserPoolArn == nil || c.UserPoolClientId == nil || c.UserPoolDomain == nil {
		return errValidation("An authenticate-cognito action needs UserPoolArn, UserPoolClientId and UserPoolDomain")
	}
	authDefaults(&c.Scope, &c.SessionCookieName, &c.SessionTimeout)
	if c.OnUnauthenticatedRequest == "" {
		c.OnUnauthenticatedRequest = types.AuthenticateCognitoActionConditionalBehaviorEnumAuthenticate
	}
	return nil
}

func authDefaults(scope, cookie **string, timeout **int64) {
	if *scope == nil {
		*scope = ptr("openid")
	}
	if *cookie == nil {
		*cookie = ptr("AWSELBAuthSessionCookie")
	}
	if *timeout == nil {
		*timeout = ptr[int64](604800)
	}
}

// Conditions.

var (
	methodPattern     = regexp.MustCompile(`^[A-Z_-]{1,40}$`)
	headerNamePattern = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$")
)

// normalizeConditions validates the conditions of a (non-default) rule.
// Legacy Values of host-header and path-pattern are echoed in the
// matching *Config as well, as AWS does.
func normalizeConditions(conds []types.RuleCondition) ([]types.RuleCondition, error) {
	if len(conds) == 0 {
		return nil, errValidation("A rule must have at least one condition")
	}
	out := clone.Of(conds)
	once := map[string]bool{}
	values, wildcards := 0, 0
	for i := range out {
		c := &out[i]
		member := "conditions." + itoa(i+1) + ".member"
		if c.Field == nil {
			return nil, errRequired(member + ".field")
		}
		field := *c.Field
		switch field {
		case "host-header", "path-pattern", "http-request-method", "source-ip":
			if once[field] {
				return nil, errValidation("A rule can have only one '%s' condition", field)
			}
			once[field] = true
		case "http-header", "query-string":
		default:
			return nil, errValidation("Condition field '%s' must be one of 'host-header, path-pattern, http-header, http-request-method, query-string, source-ip'", field)
		}
		if err := checkConfigs(c); err != nil {
			return nil, err
		}
		vals, err := conditionValues(c)
		if err != nil {
			return nil, err
		}
		values += len(vals)
		for _, v := range vals {
			wildcards += strings.Count(v, "*") + strings.Count(v, "?")
		}
	}
	if values > maxConditionValues {
		return nil, errValidation("A rule can only have '%d' condition values", maxConditionValues)
	}
	if wildcards > maxConditionWildcards {
		return nil, errValidation("A rule can only have '%d' wildcards", maxConditionWildcards)
	}
	return out, nil
}

// checkConfigs rejects configurations that do not belong to the field.
func checkConfigs(c *types.RuleCondition) error {
	field := *c.Field
	present := map[string]bool{
		"host-header":         c.HostHeaderConfig != nil,
		"path-pattern":        c.PathPatternConfig != nil,
		"http-header":         c.HttpHeaderConfig != nil,
		"http-request-method": c.HttpRequestMethodConfig != nil,
		"query-string":        c.QueryStringConfig != nil,
		"source-ip":           c.SourceIpConfig != nil,
	}
	for f, set := range present {
		if set && f != field {
			return errValidation("A '%s' condition cannot carry the configuration of a '%s' condition", field, f)
		}
	}
	if (len(c.Values) > 0 || len(c.RegexValues) > 0) && field != "host-header" && field != "path-pattern" {
		return errValidation("Values can be specified directly only for 'host-header' and 'path-pattern' conditions; use the '%s' configuration", field)
	}
	if present[field] && (len(c.Values) > 0 || len(c.RegexValues) > 0) {
		return errValidation("A '%s' condition cannot have both Values and a configuration", field)
	}
	return nil
}

// conditionValues validates a condition (filling in the echoed forms) and
// returns the values that count against the per-rule limit.
func conditionValues(c *types.RuleCondition) ([]string, error) {
	switch *c.Field {
	case "host-header":
		if c.HostHeaderConfig == nil {
			c.HostHeaderConfig = &types.HostHeaderConditionConfig{Values: slices.Clone(c.Values), RegexValues: slices.Clone(c.RegexValues)}
		}
		return patternValues("host-header", c.HostHeaderConfig.Values, c.HostHeaderConfig.RegexValues)
	case "path-pattern":
		if c.PathPatternConfig == nil {
			c.PathPatternConfig = &types.PathPatternConditionConfig{Values: slices.Clone(c.Values), RegexValues: slices.Clone(c.RegexValues)}
		}
		return patternValues("path-pattern", c.PathPatternConfig.Values, c.PathPatternConfig.RegexValues)
	case "http-header":
		h := c.HttpHeaderConfig
		if h == nil || h.HttpHeaderName == nil {
			return nil, errValidation("An 'http-header' condition needs HttpHeaderConfig with HttpHeaderName")
		}
		if !headerNamePattern.MatchString(*h.HttpHeaderName) {
			return nil, errValidation("HTTP header name '%s' is not valid", *h.HttpHeaderName)
		}
		return patternValues("http-header", h.Values, h.RegexValues)
	case "http-request-method":
		m := c.HttpRequestMethodConfig
		if m == nil || len(m.Values) == 0 {
			return nil, errValidation("An 'http-request-method' condition needs HttpRequestMethodConfig with Values")
		}
		for _, v := range m.Values {
			if !methodPattern.MatchString(v) {
				return nil, errValidation("HTTP request method '%s' must consist of 1 to 40 characters A-Z, '-' and '_'", v)
			}
		}
		return m.Values, nil
	case "query-string":
		q := c.QueryStringConfig
		if q == nil || len(q.Values) == 0 {
			return nil, errValidation("A 'query-string' condition needs QueryStringConfig with Values")
		}
		var vals []string
		for _, kv := range q.Values {
			if kv.Value == nil || *kv.Value == "" {
				return nil, errValidation("Every query-string key/value pair needs a Value")
			}
			vals = append(vals, deref(kv.Key)+"="+*kv.Value)
		}
		return vals, nil
	case "source-ip":
		sip := c.SourceIpConfig
		if sip == nil || len(sip.Values) == 0 {
			return nil, errValidation("A 'source-ip' condition needs SourceIpConfig with Values")
		}
		for _, v := range sip.Values {
			if _, err := netip.ParsePrefix(v); err != nil {
				return nil, errValidation("Source IP '%s' must be a CIDR block", v)
			}
		}
		return sip.Values, nil
	}
	return nil, nil
}

func patternValues(field string, values, regexes []string) ([]string, error) {
	if len(values) == 0 && len(regexes) == 0 {
		return nil, errValidation("A '%s' condition needs at least one value", field)
	}
	for _, v := range values {
		if v == "" || len(v) > 128 {
			return nil, errValidation("Condition value '%s' must be between 1 and 128 characters long", v)
		}
	}
	for _, r := range regexes {
		if _, err := regexp.Compile(r); err != nil {
			return nil, errValidation("Condition regular expression '%s' is not valid", r)
		}
	}
	return append(slices.Clone(values), regexes...), nil
}
