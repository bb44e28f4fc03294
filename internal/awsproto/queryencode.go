package awsproto

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"time"
)

// queryTimeFormat is the timestamp format of ELBv2 responses:
// 2016-03-25T21:26:12.920Z (xsd:dateTime, UTC, milliseconds).
const queryTimeFormat = "2006-01-02T15:04:05.000Z"

// WriteQuery writes a 200 awsQuery response for operation action in XML
// namespace xmlns (the service's): v (an
// SDK output struct, or nil for an empty result) wrapped as
//
//	<ActionResponse xmlns="…"><ActionResult>…</ActionResult>
//	<ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></ActionResponse>
//
// with Content-Type text/xml. If v cannot be encoded (a handler bug) it
// writes InternalFailure instead and returns the encoding error for the
// caller to log.
func WriteQuery(w http.ResponseWriter, requestID, xmlns, action string, v any) error {
	body, err := EncodeQuery(xmlns, action, requestID, v)
	if err != nil {
		WriteQueryError(w, requestID, xmlns, err, nil)
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("X-Amzn-Requestid", requestID)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body) // the client has gone; nothing useful to do
	return nil
}

// EncodeQuery renders the response document of WriteQuery. Members follow
// the Go field order; nil pointers, slices and maps are left out and so are
// unset enums (empty value strings); empty non-nil slices are written as
// empty elements, which the SDK reads back as empty lists.
func EncodeQuery(xmlns, action, requestID string, v any) ([]byte, error) {
	if !validElementName(action) {
		return nil, fmt.Errorf("awsproto: encode query: %q is not an operation name", action)
	}
	e := queryEncoder{buf: bytes.NewBuffer(make([]byte, 0, 1024))}
	e.buf.WriteString("<" + action + "Response xmlns=\"" + xmlns + "\">")
	e.open(action + "Result")
	if v != nil {
		rv := reflect.ValueOf(v)
		for rv.Kind() == reflect.Pointer && !rv.IsNil() {
			rv = rv.Elem()
		}
		if rv.Kind() == reflect.Struct && rv.Type() != timeType {
			if err := e.members(rv); err != nil {
				return nil, err
			}
		} else if rv.Kind() != reflect.Pointer {
			return nil, fmt.Errorf("awsproto: encode query: output %T is not a struct", v)
		}
	}
	e.close(action + "Result")
	e.open("ResponseMetadata")
	e.open("RequestId")
	e.text(requestID)
	e.close("RequestId")
	e.close("ResponseMetadata")
	e.close(action + "Response")
	return e.buf.Bytes(), nil
}

// validElementName accepts the operation names used as element names
// (ASCII letters and digits, starting with a letter).
func validElementName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range []byte(s) {
		letter := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

type queryEncoder struct {
	buf   *bytes.Buffer
	depth int
}

func (e *queryEncoder) open(name string) {
	e.buf.WriteByte('<')
	e.buf.WriteString(name)
	e.buf.WriteByte('>')
}

func (e *queryEncoder) close(name string) {
	e.buf.WriteString("</")
	e.buf.WriteString(name)
	e.buf.WriteByte('>')
}

// text writes character data. xml.EscapeText replaces invalid UTF-8 and
// characters XML cannot carry with U+FFFD and escapes \r, \n and \t, so
// the text survives an XML parser unchanged where it can.
func (e *queryEncoder) text(s string) {
	_ = xml.EscapeText(e.buf, []byte(s)) // a bytes.Buffer never fails
}

// members writes the wire members of struct v, in declaration order.
func (e *queryEncoder) members(v reflect.Value) error {
	for _, f := range tableFor(v.Type(), AsIs).fields {
		fv := v.Field(f.index)
		if fv.Kind() == reflect.String && fv.Len() == 0 {
			continue // an unset enum, never sent by AWS
		}
		if err := e.member(f.name, fv, false); err != nil {
			return err
		}
	}
	return nil
}

// member writes <name>v</name>, or nothing when v is absent; an absent
// list item (keep) still takes its place as an empty element.
func (e *queryEncoder) member(name string, v reflect.Value, keep bool) error {
	if e.depth > maxDepth {
		return fmt.Errorf("awsproto: encode query: nesting deeper than %d (cycle?)", maxDepth)
	}
	e.depth++
	defer func() { e.depth-- }()

	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			if keep {
				e.open(name)
				e.close(name)
			}
			return nil
		}
		return e.member(name, v.Elem(), keep)
	case reflect.Slice:
		if v.IsNil() {
			return e.member(name, reflect.Value{}, keep)
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			e.open(name)
			e.buf.WriteString(base64.StdEncoding.EncodeToString(v.Bytes()))
			e.close(name)
			return nil
		}
		return e.list(name, v)
	case reflect.Array:
		return e.list(name, v)
	case reflect.Map:
		if v.IsNil() {
			return e.member(name, reflect.Value{}, keep)
		}
		return e.mapValue(name, v)
	case reflect.Struct:
		e.open(name)
		if v.Type() == timeType {
			e.buf.WriteString(v.Interface().(time.Time).UTC().Format(queryTimeFormat))
		} else if err := e.members(v); err != nil {
			return err
		}
		e.close(name)
		return nil
	case reflect.Invalid:
		if keep {
			e.open(name)
			e.close(name)
		}
		return nil
	}
	s, err := queryScalar(v)
	if err != nil {
		return err
	}
	e.open(name)
	e.text(s)
	e.close(name)
	return nil
}

func (e *queryEncoder) list(name string, v reflect.Value) error {
	e.open(name)
	for i := range v.Len() {
		if err := e.member(queryListMember, v.Index(i), true); err != nil {
			return err
		}
	}
	e.close(name)
	return nil
}

func (e *queryEncoder) mapValue(name string, v reflect.Value) error {
	if v.Type().Key().Kind() != reflect.String {
		return fmt.Errorf("awsproto: encode query: map key type %s is not a string", v.Type().Key())
	}
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return cmp.Compare(a.String(), b.String()) })
	e.open(name)
	for _, k := range keys {
		e.open(queryMapEntry)
		e.open(queryMapKey)
		e.text(k.String())
		e.close(queryMapKey)
		if err := e.member(queryMapValue, v.MapIndex(k), true); err != nil {
			return err
		}
		e.close(queryMapEntry)
	}
	e.close(name)
	return nil
}

// queryScalar formats a scalar the way the SDK parses it back.
func queryScalar(v reflect.Value) (string, error) {
	switch v.Kind() {
	case reflect.String:
		return v.String(), nil
	case reflect.Bool:
		return strconv.FormatBool(v.Bool()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), nil
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		switch {
		case math.IsNaN(f):
			return "NaN", nil
		case math.IsInf(f, 1):
			return "Infinity", nil
		case math.IsInf(f, -1):
			return "-Infinity", nil
		}
		return strconv.FormatFloat(f, 'f', -1, v.Type().Bits()), nil
	}
	return "", fmt.Errorf("awsproto: encode query: unsupported kind %s", v.Kind())
}
