package acm

import (
	"encoding/json"
	"unicode"
	"unicode/utf8"
)

// filterMembers renames the members of ListCertificates' Includes to the
// Go field names the codec expects. ACM's Filters shape is the one shape
// of its model whose members are lower camel case on the wire (keyTypes,
// extendedKeyUsage, keyUsage, managedBy, exportOption) while every other
// member is as the Go field (CertificateArn); the codec has one naming per
// service, so the request body is adjusted here. Bodies that are not a
// JSON object with an object Includes are left for the decoder to judge.
func filterMembers(body []byte) []byte {
	var req map[string]json.RawMessage
	if json.Unmarshal(body, &req) != nil {
		return body
	}
	var inc map[string]json.RawMessage
	if raw, ok := req["Includes"]; !ok || json.Unmarshal(raw, &inc) != nil {
		return body
	}
	fixed := make(map[string]json.RawMessage, len(inc))
	for k, v := range inc {
		fixed[upperFirst(k)] = v
	}
	req["Includes"], _ = json.Marshal(fixed) // raw messages re-encode as they came
	out, err := json.Marshal(req)
	if err != nil {
		return body
	}
	return out
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
