package template

import "strings"

// awsTypes are the AWS-specific parameter types (each also valid as List<…>).
var awsTypes = map[string]bool{
	"AWS::EC2::AvailabilityZone::Name": true, "AWS::EC2::Image::Id": true,
	"AWS::EC2::Instance::Id": true, "AWS::EC2::KeyPair::KeyName": true,
	"AWS::EC2::SecurityGroup::GroupName": true, "AWS::EC2::SecurityGroup::Id": true,
	"AWS::EC2::Subnet::Id": true, "AWS::EC2::Volume::Id": true, "AWS::EC2::VPC::Id": true,
	"AWS::Route53::HostedZone::Id": true,
}

const ssmValuePrefix, ssmValueSuffix = "AWS::SSM::Parameter::Value<", ">"

// validParameterType reports whether CloudFormation accepts typ.
func validParameterType(typ string) bool {
	switch typ {
	case "String", "Number", "List<Number>", "CommaDelimitedList", "AWS::SSM::Parameter::Name":
		return true
	}
	if inner, ok := ssmValueType(typ); ok {
		return inner == "String" || inner == "List<String>" || inner == "CommaDelimitedList" || isAWSType(inner)
	}
	return isAWSType(typ)
}

func isAWSType(typ string) bool {
	if inner, ok := listElement(typ); ok {
		return awsTypes[inner]
	}
	return awsTypes[typ]
}

// listElement returns T of List<T>.
func listElement(typ string) (string, bool) {
	if strings.HasPrefix(typ, "List<") && strings.HasSuffix(typ, ">") {
		return typ[len("List<") : len(typ)-1], true
	}
	return "", false
}

// ssmValueType returns T of AWS::SSM::Parameter::Value<T>.
func ssmValueType(typ string) (string, bool) {
	if strings.HasPrefix(typ, ssmValuePrefix) && strings.HasSuffix(typ, ssmValueSuffix) {
		return typ[len(ssmValuePrefix) : len(typ)-len(ssmValueSuffix)], true
	}
	return "", false
}

// isListType reports whether values of typ are lists.
func isListType(typ string) bool {
	if inner, ok := ssmValueType(typ); ok {
		typ = inner
	}
	if typ == "CommaDelimitedList" {
		return true
	}
	_, ok := listElement(typ)
	return ok
}
