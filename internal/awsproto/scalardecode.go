package awsproto

import (
	"encoding/base64"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	smithytime "github.com/aws/smithy-go/time"
)

// decodeScalar sets a scalar member from a query node's value, for the
// awsQuery and ec2Query decoders alike; bad builds the protocol's error
// for a value of the wrong kind. It reports whether the member is present.
func decodeScalar(v reflect.Value, n *queryNode, path string, bad func(path, value, want string) error) (bool, error) {
	if !n.hasValue {
		return false, nil // only sub-keys (Port.x=1, MaxResults.x=1): nothing for this member
	}
	s := n.value
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Bool:
		switch {
		case strings.EqualFold(s, "true"):
			v.SetBool(true)
		case strings.EqualFold(s, "false"):
			v.SetBool(false)
		default:
			return false, bad(path, s, "a boolean (true or false)")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(s, 10, v.Type().Bits())
		if err != nil {
			return false, bad(path, s, fmt.Sprintf("an integer that fits in %d bits", v.Type().Bits()))
		}
		v.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		u, err := strconv.ParseUint(s, 10, v.Type().Bits())
		if err != nil {
			return false, bad(path, s, "a non-negative integer")
		}
		v.SetUint(u)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(s, v.Type().Bits())
		if err != nil {
			return false, bad(path, s, "a number")
		}
		v.SetFloat(f)
	case reflect.Slice: // blob
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return false, bad(path, s, "base64-encoded data")
		}
		v.SetBytes(b)
	case reflect.Struct: // time.Time
		t, err := smithytime.ParseDateTime(s)
		if err != nil {
			return false, bad(path, s, "an ISO 8601 timestamp")
		}
		v.Set(reflect.ValueOf(t))
	default:
		return false, nil
	}
	return true, nil
}
