// Package awsproto is the only package that knows AWS wire formats. It turns
// HTTP requests into routes and SDK input structs, and SDK output structs and
// errors back into HTTP responses.
//
// The aws-sdk-go-v2 input/output/types structs are the wire model: a small
// reflection codec maps their exported Go fields to JSON members, so no
// hand-written wire structs are needed.
package awsproto

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	smithydocument "github.com/aws/smithy-go/document"
)

// Naming selects how Go field names become JSON member names.
type Naming int

const (
	// LowerFirst lowers the first letter (ECS: ClusterName → clusterName,
	// BindIP → bindIP).
	LowerFirst Naming = iota
	// AsIs keeps the Go field name (Cloud Map: Id, CreateDate).
	AsIs
)

// memberName returns the wire name of a Go field or union tag.
func (n Naming) memberName(goName string) string {
	if n != LowerFirst || goName == "" {
		return goName
	}
	r, size := utf8.DecodeRuneInString(goName)
	return string(unicode.ToLower(r)) + goName[size:]
}

// maxDepth bounds nesting in both directions: decoding rejects deeper input
// before parsing it, encoding stops at pointer cycles instead of overflowing
// the stack. SDK shapes nest about a dozen levels; documents may nest more.
const maxDepth = 100

var (
	timeType = reflect.TypeFor[time.Time]()
	docMarsh = reflect.TypeFor[smithydocument.Marshaler]()
)

// field is one wire member of a struct.
type field struct {
	name  string
	index int
}

// structTable lists a struct's wire members in Go declaration order, which
// keeps encoded output stable.
type structTable struct {
	fields []field
	byName map[string]int // wire name → index into the struct
}

type tableKey struct {
	t reflect.Type
	n Naming
}

var tables sync.Map // tableKey → *structTable

// tableFor returns the cached member table of struct type t.
func tableFor(t reflect.Type, n Naming) *structTable {
	key := tableKey{t, n}
	if v, ok := tables.Load(key); ok {
		return v.(*structTable)
	}
	v, _ := tables.LoadOrStore(key, buildTable(t, n))
	return v.(*structTable)
}

func buildTable(t reflect.Type, n Naming) *structTable {
	tab := &structTable{byName: make(map[string]int)}
	for i := range t.NumField() {
		f := t.Field(i)
		if skipField(f) {
			continue
		}
		name := n.memberName(f.Name)
		tab.fields = append(tab.fields, field{name: name, index: i})
		tab.byName[name] = i
	}
	return tab
}

// skipField drops fields that are not wire members: unexported ones (the
// embedded noSmithyDocumentSerde marker included), middleware metadata on
// outputs, and the client-side code override on SDK error types.
func skipField(f reflect.StructField) bool {
	if !f.IsExported() || f.Anonymous {
		return true
	}
	switch f.Name {
	case "ResultMetadata", "ErrorCodeOverride":
		return true
	}
	switch f.Type.Kind() {
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return true
	}
	return false
}

// EncodeJSON encodes an SDK output (or any SDK shape) as awsJson1_1. Nil
// pointers, slices, maps and interfaces are omitted, and so are empty
// enum (value string) members; empty non-nil slices and maps are kept;
// other value scalars are always written. A nil v encodes as {}.
func EncodeJSON(v any, n Naming) ([]byte, error) {
	return appendJSON(make([]byte, 0, 512), v, n)
}

// appendJSON is EncodeJSON appending to buf.
func appendJSON(buf []byte, v any, n Naming) ([]byte, error) {
	if v == nil {
		return append(buf, "{}"...), nil
	}
	e := encoder{n: n, buf: buf}
	wrote, err := e.value(reflect.ValueOf(v))
	if err != nil {
		return nil, err
	}
	if !wrote {
		return append(buf, "{}"...), nil
	}
	return e.buf, nil
}

type encoder struct {
	buf   []byte
	n     Naming
	depth int
}

// value appends v and reports whether anything was written; false means
// the value is absent (nil) and its member must be left out.
func (e *encoder) value(v reflect.Value) (bool, error) {
	if e.depth > maxDepth {
		return false, fmt.Errorf("awsproto: encode: nesting deeper than %d (cycle?)", maxDepth)
	}
	e.depth++
	defer func() { e.depth-- }()

	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return false, nil
		}
		return e.value(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			return false, nil
		}
		return e.iface(v)
	case reflect.Struct:
		if v.Type() == timeType {
			e.buf = appendEpochSeconds(e.buf, v.Interface().(time.Time))
			return true, nil
		}
		return true, e.structValue(v)
	case reflect.Slice:
		if v.IsNil() {
			return false, nil
		}
		if v.Type() == rawJSONType {
			e.buf = append(e.buf, v.Bytes()...)
			return true, nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			e.blob(v.Bytes())
			return true, nil
		}
		return true, e.list(v)
	case reflect.Array:
		return true, e.list(v)
	case reflect.Map:
		if v.IsNil() {
			return false, nil
		}
		return true, e.mapValue(v)
	}
	return e.scalar(v)
}

func (e *encoder) scalar(v reflect.Value) (bool, error) {
	switch v.Kind() {
	case reflect.String:
		e.buf = appendString(e.buf, v.String())
	case reflect.Bool:
		e.buf = strconv.AppendBool(e.buf, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf = strconv.AppendInt(e.buf, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.buf = strconv.AppendUint(e.buf, v.Uint(), 10)
	case reflect.Float32:
		e.buf = appendFloat(e.buf, v.Float(), 32)
	case reflect.Float64:
		e.buf = appendFloat(e.buf, v.Float(), 64)
	default:
		return false, fmt.Errorf("awsproto: encode: unsupported kind %s", v.Kind())
	}
	return true, nil
}

func (e *encoder) structValue(v reflect.Value) error {
	e.buf = append(e.buf, '{')
	first := true
	for _, f := range tableFor(v.Type(), e.n).fields {
		fv := v.Field(f.index)
		if fv.Kind() == reflect.String && fv.Len() == 0 {
			// Value strings in SDK structs are enums, and the zero enum
			// means "not set": the SDK never sends it, nor does AWS.
			continue
		}
		mark := len(e.buf)
		if !first {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendString(e.buf, f.name)
		e.buf = append(e.buf, ':')
		wrote, err := e.value(fv)
		if err != nil {
			return err
		}
		if !wrote {
			e.buf = e.buf[:mark] // absent member: drop its key again
			continue
		}
		first = false
	}
	e.buf = append(e.buf, '}')
	return nil
}

func (e *encoder) list(v reflect.Value) error {
	e.buf = append(e.buf, '[')
	for i := range v.Len() {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if err := e.element(v.Index(i)); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, ']')
	return nil
}

// element writes a list item or map value, where an absent value must still
// hold its place, so it becomes null.
func (e *encoder) element(v reflect.Value) error {
	wrote, err := e.value(v)
	if err == nil && !wrote {
		e.buf = append(e.buf, "null"...)
	}
	return err
}

func (e *encoder) mapValue(v reflect.Value) error {
	if v.Type().Key().Kind() != reflect.String {
		return fmt.Errorf("awsproto: encode: map key type %s is not a string", v.Type().Key())
	}
	keys := v.MapKeys()
	// Sorted keys make responses byte-for-byte reproducible.
	slices.SortFunc(keys, func(a, b reflect.Value) int {
		return cmp.Compare(a.String(), b.String())
	})
	e.buf = append(e.buf, '{')
	for i, k := range keys {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendString(e.buf, k.String())
		e.buf = append(e.buf, ':')
		if err := e.element(v.MapIndex(k)); err != nil {
			return err
		}
	}
	e.buf = append(e.buf, '}')
	return nil
}

// iface encodes the two kinds of interface-typed members the SDK has:
// documents (open content that marshals itself) and tagged unions, whose
// variants are named <Union>Member<Tag> and hold a Value field. Anything
// else (UnknownUnionMember, say) is left out.
func (e *encoder) iface(v reflect.Value) (bool, error) {
	elem := v.Elem()
	if elem.Kind() == reflect.Pointer && elem.IsNil() {
		return false, nil // a typed nil is as absent as an untyped one
	}
	if elem.Type().Implements(docMarsh) {
		return e.document(elem.Interface().(smithydocument.Marshaler))
	}
	tag, ok := unionTag(v.Type(), elem.Type())
	if !ok {
		return false, nil
	}
	e.buf = append(e.buf, '{')
	e.buf = appendString(e.buf, e.n.memberName(tag))
	e.buf = append(e.buf, ':')
	if err := e.element(elem.Elem().FieldByName("Value")); err != nil {
		return false, err
	}
	e.buf = append(e.buf, '}')
	return true, nil
}

// document writes open content. Values decoded by this package are plain
// JSON trees, written directly; anything else goes through the document's
// own marshaler (which, for one, rejects empty object keys that are legal
// JSON).
func (e *encoder) document(m smithydocument.Marshaler) (bool, error) {
	if lazy, ok := m.(interface{ Value() any }); ok {
		mark := len(e.buf)
		if e.jsonTree(lazy.Value()) {
			return true, nil
		}
		e.buf = e.buf[:mark]
	}
	raw, err := m.MarshalSmithyDocument()
	if err != nil {
		return false, fmt.Errorf("awsproto: encode document: %w", err)
	}
	if len(raw) == 0 {
		return false, nil
	}
	if !json.Valid(raw) {
		return false, fmt.Errorf("awsproto: encode document: marshaler produced invalid JSON")
	}
	e.buf = append(e.buf, raw...)
	return true, nil
}

// jsonTree appends a generic JSON value (as produced by DecodeJSON) and
// reports false if v holds anything else.
func (e *encoder) jsonTree(v any) bool {
	if e.depth > maxDepth {
		return false
	}
	e.depth++
	defer func() { e.depth-- }()
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case bool:
		e.buf = strconv.AppendBool(e.buf, x)
	case string:
		e.buf = appendString(e.buf, x)
	case smithydocument.Number:
		if !json.Valid([]byte(x)) {
			return false
		}
		e.buf = append(e.buf, x...)
	case float64:
		e.buf = appendFloat(e.buf, x, 64)
	case []any:
		return e.jsonArray(x)
	case map[string]any:
		return e.jsonObject(x)
	default:
		return false
	}
	return true
}

func (e *encoder) jsonArray(items []any) bool {
	e.buf = append(e.buf, '[')
	for i, item := range items {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if !e.jsonTree(item) {
			return false
		}
	}
	e.buf = append(e.buf, ']')
	return true
}

func (e *encoder) jsonObject(obj map[string]any) bool {
	keys := slices.Sorted(maps.Keys(obj))
	e.buf = append(e.buf, '{')
	for i, k := range keys {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendString(e.buf, k)
		e.buf = append(e.buf, ':')
		if !e.jsonTree(obj[k]) {
			return false
		}
	}
	e.buf = append(e.buf, '}')
	return true
}

func (e *encoder) blob(b []byte) {
	e.buf = append(e.buf, '"')
	e.buf = base64.StdEncoding.AppendEncode(e.buf, b)
	e.buf = append(e.buf, '"')
}

// appendEpochSeconds writes t as epoch seconds with millisecond precision,
// the timestamp format of awsJson1_1 (1557119253.821). Integer arithmetic
// avoids float rounding artefacts such as 1557119253.8209999.
func appendEpochSeconds(b []byte, t time.Time) []byte {
	ms := t.UnixMilli()
	abs := uint64(ms) // two's complement negation below also covers MinInt64
	if ms < 0 {
		b = append(b, '-')
		abs = -abs
	}
	b = strconv.AppendUint(b, abs/1000, 10)
	frac := abs % 1000
	if frac == 0 {
		return b
	}
	digits := []byte{'.', byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
	for digits[len(digits)-1] == '0' {
		digits = digits[:len(digits)-1]
	}
	return append(b, digits...)
}

// appendFloat writes a float the way the SDK does: plain decimal notation
// for ordinary magnitudes, exponent form for extreme ones, and the strings
// "NaN", "Infinity", "-Infinity" for values JSON numbers cannot express.
func appendFloat(b []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Infinity"`...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	return strconv.AppendFloat(b, f, format, -1, bits)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string. Invalid UTF-8 becomes U+FFFD so
// the output is always valid JSON; U+2028/2029 are escaped for JavaScript
// consumers.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			b = appendEscapedByte(b, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, `\u202`...)
			b = append(b, hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendEscapedByte(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
