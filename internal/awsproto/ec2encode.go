package awsproto

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"time"
)

const (
	ec2ContentType = "text/xml;charset=UTF-8"
	ec2XMLHeader   = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
)

// WriteEC2 writes a 200 ec2Query response for operation action in XML
// namespace xmlns: v (an SDK output struct, or nil for an empty result) as
//
//	<ActionResponse xmlns="…"><requestId>…</requestId>…</ActionResponse>
//
// If v cannot be encoded (a handler bug, such as an output type missing
// from the name table) it writes InternalError instead and returns the
// encoding error for the caller to log.
func WriteEC2(w http.ResponseWriter, requestID, action, xmlns string, v any) error {
	body, err := EncodeEC2(action, requestID, xmlns, v)
	if err != nil {
		WriteEC2Error(w, requestID, err, nil)
		return err
	}
	writeEC2Body(w, requestID, http.StatusOK, body)
	return nil
}

func writeEC2Body(w http.ResponseWriter, requestID string, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ec2ContentType)
	h.Set("X-Amzn-Requestid", requestID)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body) // the client has gone; nothing useful to do
}

// EncodeEC2 renders the response document of WriteEC2. Members follow the
// Go field order under the element names of the name table; nil pointers
// and slices are left out and so are unset enums (empty value strings);
// an empty non-nil slice is written as an empty element, which the SDK
// reads back as an empty list. Timestamps are ISO 8601 in UTC with
// milliseconds, booleans true or false, blobs base64.
func EncodeEC2(action, requestID, xmlns string, v any) ([]byte, error) {
	if !validElementName(action) {
		return nil, fmt.Errorf("awsproto: encode ec2Query: %q is not an operation name", action)
	}
	e := ec2Encoder{queryEncoder{buf: bytes.NewBuffer(make([]byte, 0, 1024))}}
	e.buf.WriteString(ec2XMLHeader)
	e.buf.WriteString("<" + action + "Response xmlns=\"")
	e.text(xmlns)
	e.buf.WriteString("\">")
	e.open("requestId")
	e.text(requestID)
	e.close("requestId")
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
			return nil, fmt.Errorf("awsproto: encode ec2Query: output %T is not a struct", v)
		}
	}
	e.close(action + "Response")
	return e.buf.Bytes(), nil
}

// ec2Encoder writes EC2's XML with the element writers of the awsQuery
// encoder; only the member names and the list item element differ.
type ec2Encoder struct {
	queryEncoder
}

// members writes the wire members of struct v, in declaration order.
func (e *ec2Encoder) members(v reflect.Value) error {
	fields, err := ec2Fields(v.Type(), true)
	if err != nil {
		return err
	}
	for _, f := range fields {
		fv := v.Field(f.index)
		if fv.Kind() == reflect.String && fv.Len() == 0 {
			continue // an unset enum, never sent by AWS
		}
		if err := e.member(f.name, f.item, fv, false); err != nil {
			return err
		}
	}
	return nil
}

// member writes <name>v</name>, or nothing when v is absent; an absent
// list item (keep) still takes its place as an empty element. item is the
// element of each item when v is a list.
func (e *ec2Encoder) member(name, item string, v reflect.Value, keep bool) error {
	if e.depth > maxDepth {
		return fmt.Errorf("awsproto: encode ec2Query: nesting deeper than %d (cycle?)", maxDepth)
	}
	e.depth++
	defer func() { e.depth-- }()

	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return e.empty(name, keep)
		}
		return e.member(name, item, v.Elem(), keep)
	case reflect.Slice:
		if v.IsNil() {
			return e.empty(name, keep)
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			e.open(name)
			e.buf.WriteString(base64.StdEncoding.EncodeToString(v.Bytes()))
			e.close(name)
			return nil
		}
		return e.list(name, item, v)
	case reflect.Array:
		return e.list(name, item, v)
	case reflect.Map:
		return fmt.Errorf("awsproto: encode ec2Query: map member %s: EC2 outputs have no maps", name)
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
		return e.empty(name, keep)
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

func (e *ec2Encoder) empty(name string, keep bool) error {
	if keep {
		e.open(name)
		e.close(name)
	}
	return nil
}

func (e *ec2Encoder) list(name, item string, v reflect.Value) error {
	if item == "" {
		return fmt.Errorf("awsproto: encode ec2Query: list member %s has no item element in the name table", name)
	}
	e.open(name)
	for i := range v.Len() {
		if err := e.member(item, "", v.Index(i), true); err != nil {
			return err
		}
	}
	e.close(name)
	return nil
}
