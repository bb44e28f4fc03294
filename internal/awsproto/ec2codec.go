package awsproto

// The ec2Query protocol (EC2): requests are form-encoded like awsQuery
// (Action, Version=2016-11-15) but every list is flattened under its
// member's query name with a 1-based index and no ".member"
// (SubnetId.1=…, Filter.1.Name=…&Filter.1.Value.1=…); responses are
//
//	<ActionResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
//	<requestId>…</requestId><vpcSet><item>…</item></vpcSet></ActionResponse>
//
// with no Result wrapper, lowerCamel element names and <item> list items;
// errors are <Response><Errors><Error><Code/><Message/></Error></Errors>
// <RequestID/></Response>.
//
// The SDK structs carry no wire names, and EC2's do not follow one rule
// (Filters is sent as Filter, Vpcs comes back as vpcSet,
// UserIdGroupPairs as Groups and groups), so the names come from a table
// generated from the SDK's own serializers and deserializers
// (ec2names.go, written by internal/ec2names) for the operations the
// emulator serves. A struct with members that is not in the table is a
// programming error reported as such, never silently misnamed.
//
// ec2decode.go reads requests, ec2encode.go writes responses, ec2error.go
// writes errors.

//go:generate go run ./internal/ec2names -o ec2names.go

import (
	"fmt"
	"net/http"
	"reflect"
	"sync"

	"github.com/aws/smithy-go"
)

// EC2Namespace is the XML namespace of EC2 responses (API 2016-11-15).
const EC2Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/"

// EC2APIVersion is the Version parameter of EC2 requests.
const EC2APIVersion = "2016-11-15"

// ec2Element is the XML element of an output member and, for a list, the
// element of each of its items.
type ec2Element struct {
	name string
	item string
}

// ec2Field is one wire member of an SDK struct in ec2Query.
type ec2Field struct {
	index int    // Go field index
	name  string // query key (inputs) or XML element (outputs)
	item  string // outputs, lists: the item element
}

type ec2TableKey struct {
	t      reflect.Type
	output bool
}

var ec2Tables sync.Map // ec2TableKey → []ec2Field

// ec2Fields returns the wire members of struct type t, in Go declaration
// order, from the input or the output name table. A struct without wire
// members (an empty output such as DeleteVpcOutput) needs no entry.
func ec2Fields(t reflect.Type, output bool) ([]ec2Field, error) {
	key := ec2TableKey{t, output}
	if v, ok := ec2Tables.Load(key); ok {
		return v.([]ec2Field), nil
	}
	fields, err := buildEC2Fields(t, output)
	if err != nil {
		return nil, err
	}
	v, _ := ec2Tables.LoadOrStore(key, fields)
	return v.([]ec2Field), nil
}

// The SDK packages whose structs the name table names. The table keys
// structs by name (types.Vpc) rather than by reflect.Type so that this
// package, and everything that imports it, does not compile the EC2 SDK.
const (
	ec2Package      = "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2TypesPackage = ec2Package + "/types"
)

// ec2ShapeName is the name table's key of struct type t, or "" for a type
// outside the EC2 SDK.
func ec2ShapeName(t reflect.Type) string {
	switch t.PkgPath() {
	case ec2Package:
		return "ec2." + t.Name()
	case ec2TypesPackage:
		return "types." + t.Name()
	}
	return ""
}

func buildEC2Fields(t reflect.Type, output bool) ([]ec2Field, error) {
	shape := ec2ShapeName(t)
	inNames, inOK := ec2InputNames[shape]
	outNames, outOK := ec2OutputNames[shape]
	known := inOK
	if output {
		known = outOK
	}
	var fields []ec2Field
	for i := range t.NumField() {
		f := t.Field(i)
		if skipField(f) {
			continue
		}
		if !known {
			return nil, fmt.Errorf("awsproto: ec2Query: %s is not in the EC2 name table (add its operation to internal/ec2names and run go generate)", t)
		}
		// A Go field the table does not name is not on the wire in this
		// direction: the SDK neither sends nor reads it.
		if output {
			if el, ok := outNames[f.Name]; ok {
				fields = append(fields, ec2Field{index: i, name: el.name, item: el.item})
			}
		} else if name, ok := inNames[f.Name]; ok {
			fields = append(fields, ec2Field{index: i, name: name})
		}
	}
	return fields, nil
}

// EC2Status applies EC2's HTTP statuses: a successful dry run is 412
// (DryRunOperation, "Request would have succeeded, but DryRun flag is
// set."), a refused signature 401, a missing permission 403, throttling
// and unavailability 503, other server faults 500 and every other client
// error 400.
func EC2Status(code string, fault smithy.ErrorFault) int {
	switch code {
	case "DryRunOperation":
		return http.StatusPreconditionFailed
	case "AuthFailure":
		return http.StatusUnauthorized
	case "UnauthorizedOperation":
		return http.StatusForbidden
	case "RequestLimitExceeded", "Unavailable", "ServiceUnavailable":
		return http.StatusServiceUnavailable
	}
	return DefaultStatus(code, fault)
}

// EC2Error is an EC2 API error: EC2's model has no error shapes, only
// codes (InvalidVpcID.NotFound) and messages, so one type carries them
// all. It is a client fault; use smithy.GenericAPIError for a server one.
type EC2Error struct {
	Code    string
	Message string
}

func (e *EC2Error) Error() string { return e.Code + ": " + e.Message }

// ErrorCode implements smithy.APIError.
func (e *EC2Error) ErrorCode() string { return e.Code }

// ErrorMessage implements smithy.APIError.
func (e *EC2Error) ErrorMessage() string { return e.Message }

// ErrorFault implements smithy.APIError.
func (e *EC2Error) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }
