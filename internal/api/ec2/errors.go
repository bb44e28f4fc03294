package ec2

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/localaws/ecsemu/internal/awsproto"
)

// Error is an EC2 API error: AWS's code (InvalidVpcID.NotFound, …) and
// message, a client fault. EC2's model declares no error shapes, so the
// SDK surfaces these as smithy.GenericAPIError with the same code and
// message.
type Error = awsproto.EC2Error

const codeDryRun = "DryRunOperation"

func newError(code, msg string) *Error { return &Error{Code: code, Message: msg} }

func errorf(code, format string, args ...any) *Error {
	return newError(code, fmt.Sprintf(format, args...))
}

func errDryRun() error {
	return newError(codeDryRun, "Request would have succeeded, but DryRun flag is set.")
}

// isDryRun reports whether an input struct has DryRun set.
func isDryRun(in any) bool {
	v := reflect.ValueOf(in).Elem().FieldByName("DryRun")
	return v.IsValid() && v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Bool()
}

func errInvalidParameterValue(format string, args ...any) error {
	return errorf("InvalidParameterValue", format, args...)
}

func errInvalidParameterCombination(format string, args ...any) error {
	return errorf("InvalidParameterCombination", format, args...)
}

// errMissing is AWS's text for a required parameter left out; name is the
// parameter's wire name (cidrBlock, vpcId, …).
func errMissing(name string) error {
	return errorf("MissingParameter", "The request must contain the parameter %s", name)
}

func errDependency(kind, id string) error {
	return errorf("DependencyViolation", "The %s '%s' has dependencies and cannot be deleted.", kind, id)
}

// kinds describes each ID prefix: the noun of its NotFound message and
// the code stem of its errors.
var kinds = map[string]struct{ noun, code string }{
	"vpc":        {"vpc", "InvalidVpcID"},
	"subnet":     {"subnet", "InvalidSubnetID"},
	"sg":         {"security group", "InvalidGroup"},
	"igw":        {"internetGateway", "InvalidInternetGatewayID"},
	"rtb":        {"routeTable", "InvalidRouteTableID"},
	"rtbassoc":   {"association", "InvalidAssociationID"},
	"nat":        {"NAT gateway", "NatGatewayNotFound"},
	"eipalloc":   {"allocation", "InvalidAllocationID"},
	"eipassoc":   {"association", "InvalidAssociationID"},
	"vpce":       {"Vpc Endpoint", "InvalidVpcEndpointId"},
	"eni":        {"networkInterface", "InvalidNetworkInterfaceID"},
	"i":          {"instance", "InvalidInstanceID"},
	"sgr":        {"security group rule", "InvalidSecurityGroupRuleId"},
	"key":        {"key pair", "InvalidKeyPair"},
	"ami":        {"image", "InvalidAMIID"},
	"vgw":        {"vpnGateway", "InvalidVpnGatewayID"},
	"pl":         {"prefix list", "InvalidPrefixListID"},
	"dopt":       {"dhcpOptions", "InvalidDhcpOptionID"},
	"acl":        {"network acl", "InvalidNetworkAclID"},
	"eni-attach": {"attachment", "InvalidAttachmentID"},
}

// errNotFound is the NotFound error of an ID, worded as AWS words it for
// its kind ("The vpc ID 'vpc-1' does not exist").
func errNotFound(prefix, id string) error {
	k := kinds[prefix]
	switch prefix {
	case "sg":
		return errorf("InvalidGroup.NotFound", "The security group '%s' does not exist", id)
	case "nat":
		return errorf("NatGatewayNotFound", "NAT gateway %s was not found", id)
	case "vpce":
		return errorf("InvalidVpcEndpointId.NotFound", "The Vpc Endpoint Id '%s' does not exist", id)
	case "key":
		return errorf("InvalidKeyPair.NotFound", "The key pair '%s' does not exist", id)
	case "ami":
		return errorf("InvalidAMIID.NotFound", "The image id '[%s]' does not exist", id)
	case "sgr":
		return errorf("InvalidSecurityGroupRuleId.NotFound", "The security group rule ID '%s' does not exist", id)
	case "pl":
		return errorf("InvalidPrefixListID.NotFound", "The prefix list ID '%s' does not exist", id)
	}
	return errorf(k.code+".NotFound", "The %s ID '%s' does not exist", k.noun, id)
}

// errMalformed is the error of an ID that cannot be one of its kind.
func errMalformed(prefix, id string) error {
	code := kinds[prefix].code
	switch prefix {
	case "sg":
		code = "InvalidGroupId"
	case "nat":
		return errorf("NatGatewayMalformed", "The NAT gateway ID '%s' is malformed", id)
	}
	return errorf(code+".Malformed", "Invalid id: \"%s\" (expecting \"%s-...\")", id, prefix)
}

// wellFormed reports whether id is prefix- followed by lowercase letters
// and digits (AWS accepts the old 8-digit IDs as well as 17-digit ones).
func wellFormed(prefix, id string) bool {
	rest, ok := strings.CutPrefix(id, prefix+"-")
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}

// checkID is the Malformed check of an ID argument.
func checkID(prefix, id string) error {
	if !wellFormed(prefix, id) {
		return errMalformed(prefix, id)
	}
	return nil
}

// errNotFoundIDs is NotFound for one or several IDs ("The vpc IDs
// 'vpc-1, vpc-2' do not exist").
func errNotFoundIDs(prefix string, ids []string) error {
	if len(ids) == 1 {
		return errNotFound(prefix, ids[0])
	}
	k := kinds[prefix]
	switch prefix {
	case "sg", "nat", "vpce", "key", "ami", "sgr", "pl":
		return errNotFound(prefix, strings.Join(ids, ", "))
	}
	return errorf(k.code+".NotFound", "The %s IDs '%s' do not exist", k.noun, strings.Join(ids, ", "))
}
