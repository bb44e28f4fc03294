// Package template reads CloudFormation templates and evaluates them: JSON
// and YAML parsing (with the YAML short-form tags), parameters, conditions,
// rules, every intrinsic function and pseudo parameter, the dependency graph
// and the structural checks CloudFormation makes when a template is
// submitted. It is a pure library: it knows no HTTP and no service; the
// engine supplies what only a running stack knows through Resolver.
//
// # Values
//
// After Parse every value is plain Go: map[string]any, []any, string, int,
// float64, bool or nil. YAML short forms become their long-form maps
// (!GetAtt a.b becomes {"Fn::GetAtt": ["a", "b"]}).
//
// Scalars keep the type they were written with: quoted YAML scalars and JSON
// strings are strings; unquoted integers become int, other numbers float64,
// true/false bool (YAML 1.2 rules, so "yes" stays a string), an empty YAML
// value nil. Unquoted YAML timestamps (2012-10-17) stay the string as written.
// CloudFormation itself sees scalars as strings in most places, so every
// function that needs text (Fn::Join, Fn::Sub, Fn::Equals, parameter values,
// mapping keys) turns int, float64 and bool into their shortest decimal or
// "true"/"false" form; resource providers should do the same.
//
// Parameter values are strings, or []string for list types; Ref of a list
// parameter yields []any of strings.
package template
