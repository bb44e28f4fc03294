// Package props turns the evaluated Properties of a CloudFormation
// resource into the aws-sdk-go-v2 input struct of the API call that
// creates it. CloudFormation's property names are, almost everywhere, the
// API's member names in PascalCase, which are the SDK's Go field names; so
// one lenient reflection decoder serves every provider, and each provider
// only renames or drops the few properties that differ.
//
// Lenient because templates are: YAML and the CDK write numbers as strings
// ("80"), booleans as strings ("true"), and strings as numbers (Cpu: 256).
// CloudFormation coerces all of these; so does Decode.
package props

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Error is a property that does not fit its type or is not supported,
// worded as CloudFormation's resource handlers word it.
type Error struct {
	Path    string // #/ContainerDefinitions/0/PortMappings/0/ContainerPort
	Message string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Message
	}
	return "Properties validation failed for resource with message: " + e.Path + ": " + e.Message
}

// Decode fills the struct v points to from props. Keys match Go field
// names exactly, else case-insensitively; a key that matches no field is
// an "Encountered unsupported property" error unless skip names it.
func Decode(props map[string]any, v any, skip ...string) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("props: Decode needs a pointer to a struct, got %T", v)
	}
	d := decoder{skip: map[string]bool{}}
	for _, s := range skip {
		d.skip[s] = true
	}
	return d.structValue(rv.Elem(), props, "#", true)
}

type decoder struct{ skip map[string]bool }

func (d decoder) structValue(dst reflect.Value, src map[string]any, path string, top bool) error {
	for key, val := range src {
		if top && d.skip[key] {
			continue
		}
		f, ok := field(dst, key)
		if !ok {
			return &Error{Message: "Encountered unsupported property " + key}
		}
		if val == nil {
			continue
		}
		if err := d.assign(f, val, path+"/"+key); err != nil {
			return err
		}
	}
	return nil
}

// field finds the exported field named key, exactly or ignoring case.
func field(v reflect.Value, key string) (reflect.Value, bool) {
	t := v.Type()
	if f, ok := t.FieldByName(key); ok && f.IsExported() && len(f.Index) == 1 {
		return v.FieldByIndex(f.Index), true
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.IsExported() && strings.EqualFold(f.Name, key) {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

var timeType = reflect.TypeFor[time.Time]()

func (d decoder) assign(dst reflect.Value, src any, path string) error {
	switch dst.Kind() {
	case reflect.Pointer:
		elem := reflect.New(dst.Type().Elem())
		if err := d.assign(elem.Elem(), src, path); err != nil {
			return err
		}
		dst.Set(elem)
		return nil
	case reflect.Struct:
		if dst.Type() == timeType {
			return assignTime(dst, src, path)
		}
		m, ok := src.(map[string]any)
		if !ok {
			return mismatch(path, "JSONObject", src)
		}
		return d.structValue(dst, m, path, false)
	case reflect.Slice:
		return d.list(dst, src, path)
	case reflect.Map:
		return d.mapValue(dst, src, path)
	case reflect.Interface:
		return &Error{Path: path, Message: "this property's type is not supported by the emulator"}
	}
	return assignScalar(dst, src, path)
}

func (d decoder) list(dst reflect.Value, src any, path string) error {
	if dst.Type().Elem().Kind() == reflect.Uint8 { // blob
		s, ok := src.(string)
		if !ok {
			return mismatch(path, "String", src)
		}
		dst.SetBytes([]byte(s))
		return nil
	}
	items, ok := src.([]any)
	if !ok {
		return mismatch(path, "JSONArray", src)
	}
	out := reflect.MakeSlice(dst.Type(), len(items), len(items))
	for i, item := range items {
		if item == nil {
			continue
		}
		if err := d.assign(out.Index(i), item, path+"/"+strconv.Itoa(i)); err != nil {
			return err
		}
	}
	dst.Set(out)
	return nil
}

func (d decoder) mapValue(dst reflect.Value, src any, path string) error {
	m, ok := src.(map[string]any)
	if !ok || dst.Type().Key().Kind() != reflect.String {
		return mismatch(path, "JSONObject", src)
	}
	out := reflect.MakeMapWithSize(dst.Type(), len(m))
	for k, v := range m {
		elem := reflect.New(dst.Type().Elem()).Elem()
		if v != nil {
			if err := d.assign(elem, v, path+"/"+k); err != nil {
				return err
			}
		}
		out.SetMapIndex(reflect.ValueOf(k).Convert(dst.Type().Key()), elem)
	}
	dst.Set(out)
	return nil
}

func assignScalar(dst reflect.Value, src any, path string) error {
	switch dst.Kind() {
	case reflect.String:
		s, ok := text(src)
		if !ok {
			return mismatch(path, "String", src)
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := boolean(src)
		if !ok {
			return mismatch(path, "Boolean", src)
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		f, ok := number(src)
		if !ok || f != math.Trunc(f) || dst.OverflowInt(int64(f)) {
			return mismatch(path, "Integer", src)
		}
		dst.SetInt(int64(f))
	case reflect.Float32, reflect.Float64:
		f, ok := number(src)
		if !ok {
			return mismatch(path, "Number", src)
		}
		dst.SetFloat(f)
	default:
		return &Error{Path: path, Message: "this property's type is not supported by the emulator"}
	}
	return nil
}

func assignTime(dst reflect.Value, src any, path string) error {
	s, ok := src.(string)
	if !ok {
		return mismatch(path, "String", src)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return &Error{Path: path, Message: "string [" + s + "] is not a valid date-time"}
	}
	dst.Set(reflect.ValueOf(t))
	return nil
}

// text accepts strings and the scalars CloudFormation turns into strings.
func text(src any) (string, bool) {
	switch v := src.(type) {
	case string:
		return v, true
	case bool:
		return strconv.FormatBool(v), true
	case json.Number:
		return v.String(), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case int:
		return strconv.Itoa(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	}
	return "", false
}

func boolean(src any) (bool, bool) {
	switch v := src.(type) {
	case bool:
		return v, true
	case string:
		switch strings.ToLower(v) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

func number(src any) (float64, bool) {
	switch v := src.(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
	}
	return 0, false
}

func mismatch(path, want string, got any) error {
	return &Error{Path: path, Message: "expected type: " + want + ", found: " + kind(got)}
}

func kind(v any) string {
	switch v.(type) {
	case string:
		return "String"
	case bool:
		return "Boolean"
	case float64, int, int64, json.Number:
		return "Number"
	case []any:
		return "JSONArray"
	case map[string]any:
		return "JSONObject"
	}
	return fmt.Sprintf("%T", v)
}
