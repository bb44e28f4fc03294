package iam

import (
	"encoding/json"
	"strings"
)

// checkDocument is IAM's grammar check of a policy document: a JSON object
// with a known Version (if any) and one or more statements, each with an
// Effect of Allow or Deny. Nothing beyond the grammar is interpreted.
func checkDocument(doc string) error {
	var root map[string]any
	if err := json.Unmarshal([]byte(doc), &root); err != nil {
		return errMalformed("This policy contains invalid Json")
	}
	if v, ok := root["Version"]; ok && v != "2012-10-17" && v != "2008-10-17" {
		return errMalformed("The policy failed legacy parsing")
	}
	var statements []any
	switch st := root["Statement"].(type) {
	case map[string]any:
		statements = []any{st}
	case []any:
		statements = st
	}
	if len(statements) == 0 {
		return errMalformed("Syntax errors in policy.")
	}
	for _, st := range statements {
		m, ok := st.(map[string]any)
		if !ok || (m["Effect"] != "Allow" && m["Effect"] != "Deny") {
			return errMalformed("Syntax errors in policy.")
		}
	}
	return nil
}

// encodeDocument URL-encodes a policy document as IAM returns documents
// (RFC 3986: everything but unreserved characters is %XX).
func encodeDocument(doc string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(doc) * 2)
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
