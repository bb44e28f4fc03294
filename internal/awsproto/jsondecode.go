package awsproto

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"

	smithydocument "github.com/aws/smithy-go/document"
)

// DecodeJSON decodes an awsJson1_1 request body onto v, a pointer to an SDK
// input struct. An empty body or {} leaves v untouched, null members count
// as absent and unknown members are ignored. Malformed JSON, a member of the
// wrong JSON type or absurd nesting yield a *SerializationError.
func DecodeJSON(body []byte, v any, n Naming) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("awsproto: DecodeJSON needs a non-nil pointer, got %T", v)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := checkDepth(body); err != nil {
		return err
	}
	tree, err := parseJSON(body)
	if err != nil {
		return err
	}
	if tree == nil {
		return nil
	}
	if _, ok := tree.(map[string]any); !ok {
		return &SerializationError{Message: "request body must be a JSON object, found " + jsonKind(tree)}
	}
	d := decoder{n: n}
	if derr := d.assign(rv.Elem(), tree); derr != nil {
		return derr.serialization()
	}
	return nil
}

// checkDepth rejects input nested deeper than maxDepth before it is parsed,
// so neither the parser nor the reflection walk can be driven into deep
// recursion. Malformed input passes through for the parser to report.
func checkDepth(b []byte) error {
	depth, inString, escaped := 0, false, false
	for _, c := range b {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			depth++
			if depth > maxDepth {
				return &SerializationError{Message: fmt.Sprintf("JSON nested deeper than %d levels", maxDepth)}
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}

// parseJSON parses exactly one JSON value, keeping numbers as text so that
// integers keep full precision until the target type is known.
func parseJSON(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, malformed(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &SerializationError{Message: "malformed JSON: unexpected data after the top-level value"}
	}
	return tree, nil
}

func malformed(err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return &SerializationError{Message: fmt.Sprintf("malformed JSON at offset %d: %v", syn.Offset, syn)}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &SerializationError{Message: "malformed JSON: unexpected end of input"}
	}
	return &SerializationError{Message: "malformed JSON: " + err.Error()}
}

// decodeErr is a decoding failure plus the member path leading to it,
// collected innermost first while the recursion unwinds.
type decodeErr struct {
	msg  string
	path []string
}

func (e *decodeErr) in(segment string) *decodeErr {
	e.path = append(e.path, segment)
	return e
}

func (e *decodeErr) serialization() *SerializationError {
	if len(e.path) == 0 {
		return &SerializationError{Message: e.msg}
	}
	var b strings.Builder
	for i := len(e.path) - 1; i >= 0; i-- {
		b.WriteString(e.path[i])
	}
	path := strings.TrimPrefix(b.String(), ".")
	return &SerializationError{Message: fmt.Sprintf("%s at '%s'", e.msg, path)}
}

func mismatch(want string, got any) *decodeErr {
	return &decodeErr{msg: fmt.Sprintf("expected %s, found %s", want, jsonKind(got))}
}

// jsonKind names the JSON type of a parsed value for error messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}

type decoder struct {
	n Naming
}

// assign stores the parsed JSON value src into dst. JSON null means
// absent, so dst keeps its zero value.
func (d *decoder) assign(dst reflect.Value, src any) *decodeErr {
	if src == nil {
		return nil
	}
	switch dst.Kind() {
	case reflect.Pointer:
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		return d.assign(dst.Elem(), src)
	case reflect.Interface:
		return d.iface(dst, src)
	case reflect.Struct:
		if dst.Type() == timeType {
			return assignTime(dst, src)
		}
		return d.structValue(dst, src)
	case reflect.Slice:
		if dst.Type().Elem().Kind() == reflect.Uint8 {
			return assignBlob(dst, src)
		}
		return d.list(dst, src)
	case reflect.Map:
		return d.mapValue(dst, src)
	}
	return assignScalar(dst, src)
}

func assignScalar(dst reflect.Value, src any) *decodeErr {
	switch dst.Kind() {
	case reflect.String:
		s, ok := src.(string)
		if !ok {
			return mismatch("string", src)
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := src.(bool)
		if !ok {
			return mismatch("boolean", src)
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := parseInt(src, dst.Type().Bits())
		if err != nil {
			return err
		}
		dst.SetInt(i)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		u, err := parseUint(src, dst.Type().Bits())
		if err != nil {
			return err
		}
		dst.SetUint(u)
	case reflect.Float32, reflect.Float64:
		f, err := parseFloat(src, dst.Type().Bits())
		if err != nil {
			return err
		}
		dst.SetFloat(f)
	}
	// Kinds with no wire form (arrays, funcs, channels) are left alone.
	return nil
}

// parseInt accepts integral JSON numbers, including forms such as 5.0 or
// 1e3 that some clients produce, as long as they fit the target size.
func parseInt(src any, bits int) (int64, *decodeErr) {
	num, ok := src.(json.Number)
	if !ok {
		return 0, mismatch("integer", src)
	}
	if i, err := strconv.ParseInt(string(num), 10, bits); err == nil {
		return i, nil
	}
	f, err := strconv.ParseFloat(string(num), 64)
	limit := math.Ldexp(1, bits-1)
	if err != nil || f != math.Trunc(f) || f < -limit || f >= limit {
		return 0, &decodeErr{msg: fmt.Sprintf("number %s is not a valid %d-bit integer", num, bits)}
	}
	return int64(f), nil
}

func parseUint(src any, bits int) (uint64, *decodeErr) {
	num, ok := src.(json.Number)
	if !ok {
		return 0, mismatch("integer", src)
	}
	u, err := strconv.ParseUint(string(num), 10, bits)
	if err != nil {
		return 0, &decodeErr{msg: fmt.Sprintf("number %s is not a valid unsigned %d-bit integer", num, bits)}
	}
	return u, nil
}

// parseFloat also accepts the strings the SDK uses for non-finite values.
func parseFloat(src any, bits int) (float64, *decodeErr) {
	switch v := src.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(v), bits)
		if err != nil {
			return 0, &decodeErr{msg: fmt.Sprintf("number %s is out of range for a %d-bit float", v, bits)}
		}
		return f, nil
	case string:
		switch v {
		case "NaN":
			return math.NaN(), nil
		case "Infinity":
			return math.Inf(1), nil
		case "-Infinity":
			return math.Inf(-1), nil
		}
	}
	return 0, mismatch("number", src)
}

// assignTime accepts epoch seconds (the awsJson1_1 format) and, leniently,
// ISO-8601 text as some hand-written clients send.
func assignTime(dst reflect.Value, src any) *decodeErr {
	var t time.Time
	switch v := src.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return &decodeErr{msg: fmt.Sprintf("timestamp %s is out of range", v)}
		}
		if t, err = epochSeconds(f); err != nil {
			return &decodeErr{msg: fmt.Sprintf("timestamp %s is out of range", v)}
		}
	case string:
		var err error
		if t, err = parseTimeText(v); err != nil {
			return &decodeErr{msg: fmt.Sprintf("cannot parse timestamp %q: want epoch seconds or ISO-8601", v)}
		}
	default:
		return mismatch("timestamp (epoch seconds)", src)
	}
	dst.Set(reflect.ValueOf(t))
	return nil
}

// maxEpochSeconds keeps timestamps where millisecond arithmetic cannot
// overflow (about year 33000).
const maxEpochSeconds = 1e12

var thousand = big.NewFloat(1000)

// epochSeconds converts fractional epoch seconds to a UTC time truncated
// to milliseconds, the same way the SDK does, so that a time survives the
// client → emulator trip unchanged.
func epochSeconds(f float64) (time.Time, error) {
	if math.IsNaN(f) || math.Abs(f) >= maxEpochSeconds {
		return time.Time{}, errors.New("out of range")
	}
	ms, _ := new(big.Float).Mul(big.NewFloat(f), thousand).Int64()
	return time.Unix(ms/1000, (ms%1000)*int64(time.Millisecond)).UTC(), nil
}

// parseTimeText reads ISO-8601 (with or without a zone, UTC assumed) or
// epoch seconds as text, truncated to the wire's millisecond precision.
func parseTimeText(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC().Truncate(time.Millisecond), nil
	}
	if t, err := time.Parse("2006-01-02T15:04:05.999999999", s); err == nil {
		return t.Truncate(time.Millisecond), nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, err
	}
	return epochSeconds(f)
}

func assignBlob(dst reflect.Value, src any) *decodeErr {
	s, ok := src.(string)
	if !ok {
		return mismatch("base64 string", src)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return &decodeErr{msg: "invalid base64 data"}
	}
	dst.SetBytes(b)
	return nil
}

func (d *decoder) structValue(dst reflect.Value, src any) *decodeErr {
	obj, ok := src.(map[string]any)
	if !ok {
		return mismatch("structure (JSON object)", src)
	}
	tab := tableFor(dst.Type(), d.n)
	for name, val := range obj {
		i, known := tab.byName[name]
		if !known {
			continue
		}
		if err := d.assign(dst.Field(i), val); err != nil {
			return err.in("." + name)
		}
	}
	return nil
}

func (d *decoder) list(dst reflect.Value, src any) *decodeErr {
	arr, ok := src.([]any)
	if !ok {
		return mismatch("list (JSON array)", src)
	}
	out := reflect.MakeSlice(dst.Type(), len(arr), len(arr))
	for i, val := range arr {
		if err := d.assign(out.Index(i), val); err != nil {
			return err.in("[" + strconv.Itoa(i) + "]")
		}
	}
	dst.Set(out)
	return nil
}

func (d *decoder) mapValue(dst reflect.Value, src any) *decodeErr {
	obj, ok := src.(map[string]any)
	if !ok {
		return mismatch("map (JSON object)", src)
	}
	t := dst.Type()
	if t.Key().Kind() != reflect.String {
		return nil // no SDK map has non-string keys
	}
	out := reflect.MakeMapWithSize(t, len(obj))
	for key, val := range obj {
		elem := reflect.New(t.Elem()).Elem()
		if err := d.assign(elem, val); err != nil {
			return err.in("[" + strconv.Quote(key) + "]")
		}
		out.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), elem)
	}
	dst.Set(out)
	return nil
}

// iface fills interface-typed members: documents become the service's
// lazy document, tagged unions the matching variant. Other interfaces have
// no wire form and are ignored.
func (d *decoder) iface(dst reflect.Value, src any) *decodeErr {
	if newDoc, ok := documentTypes[dst.Type()]; ok {
		dst.Set(reflect.ValueOf(newDoc(toDocument(src))))
		return nil
	}
	if variants, ok := unionTypes[dst.Type()]; ok {
		return d.union(dst, src, variants)
	}
	return nil
}

func (d *decoder) union(dst reflect.Value, src any, variants map[string]reflect.Type) *decodeErr {
	obj, ok := src.(map[string]any)
	if !ok {
		return mismatch("union (JSON object)", src)
	}
	var tag string
	var val any
	set := 0
	for k, v := range obj {
		// awsJson clients may tag unions with __type; it is not a member.
		if v != nil && k != "__type" {
			tag, val, set = k, v, set+1
		}
	}
	if set > 1 {
		return &decodeErr{msg: fmt.Sprintf("union must set exactly one member, found %d", set)}
	}
	for goTag, ptrType := range variants {
		if set == 0 || d.n.memberName(goTag) != tag {
			continue
		}
		variant := reflect.New(ptrType.Elem())
		if err := d.assign(variant.Elem().FieldByName("Value"), val); err != nil {
			return err.in("." + tag)
		}
		dst.Set(variant)
		return nil
	}
	return nil // unknown variant: ignored like any unknown member
}

// toDocument turns parsed JSON into values the smithy document encoder
// understands, keeping numbers exact as document.Number.
func toDocument(v any) any {
	switch x := v.(type) {
	case json.Number:
		return smithydocument.Number(x)
	case map[string]any:
		for k, e := range x {
			x[k] = toDocument(e)
		}
	case []any:
		for i, e := range x {
			x[i] = toDocument(e)
		}
	}
	return v
}
