package template

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decodeYAML reads a YAML template into a tree of *object, []any and
// scalars, turning the short-form tags into long-form function maps.
func decodeYAML(body []byte) (any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		return nil, yamlError(err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, errorf("Template format error: YAML not well-formed. (line 1, column 1)")
	}
	d := yamlDecoder{}
	v, err := d.node(doc.Content[0], 0)
	if err != nil {
		return nil, err
	}
	return v, nil
}

// maxNodes bounds alias expansion ("billion laughs").
const maxNodes = 1_000_000

type yamlDecoder struct{ nodes int }

func (d *yamlDecoder) node(n *yaml.Node, depth int) (any, error) {
	d.nodes++
	if depth > maxDepth || d.nodes > maxNodes {
		return nil, notWellFormed(n)
	}
	if fn, ok := shortForm(n.Tag); ok {
		return d.shortForm(fn, n, depth)
	}
	switch n.Kind {
	case yaml.MappingNode:
		return d.mapping(n, depth)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := d.node(c, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, notWellFormed(n)
		}
		return d.node(n.Alias, depth+1)
	case yaml.ScalarNode:
		return scalar(n), nil
	}
	return nil, notWellFormed(n)
}

func (d *yamlDecoder) mapping(n *yaml.Node, depth int) (any, error) {
	o := newObject()
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode {
			return nil, notWellFormed(k)
		}
		if _, dup := o.values[k.Value]; dup {
			return nil, notWellFormed(k)
		}
		v, err := d.node(n.Content[i+1], depth+1)
		if err != nil {
			return nil, err
		}
		o.set(k.Value, v)
	}
	return o, nil
}

// shortForm maps a YAML tag to the function name it abbreviates: !Ref and
// !Condition keep their name, every other !Name is Fn::Name (an unknown one
// is then reported as an unsupported function, as CloudFormation does).
func shortForm(tag string) (string, bool) {
	if !strings.HasPrefix(tag, "!") || strings.HasPrefix(tag, "!!") || tag == "!" {
		return "", false
	}
	name := tag[1:]
	switch name {
	case "Ref", "Condition":
		return name, true
	}
	return "Fn::" + name, true
}

func (d *yamlDecoder) shortForm(fn string, n *yaml.Node, depth int) (any, error) {
	var arg any
	switch n.Kind {
	case yaml.ScalarNode:
		arg = n.Value // a tagged scalar is always text: !Ref 123 names "123"
		if fn == "Fn::GetAtt" {
			arg = splitGetAtt(n.Value)
		}
	default:
		c := *n
		c.Tag = ""
		v, err := d.node(&c, depth)
		if err != nil {
			return nil, err
		}
		arg = v
	}
	o := newObject()
	o.set(fn, arg)
	return o, nil
}

// splitGetAtt splits "Res.Attr.Sub" at the first dot: ["Res", "Attr.Sub"].
func splitGetAtt(s string) any {
	res, attr, ok := strings.Cut(s, ".")
	if !ok {
		return s
	}
	return []any{res, attr}
}

// scalar resolves an untagged (or standard-tagged) YAML scalar.
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		if b, err := strconv.ParseBool(strings.ToLower(n.Value)); err == nil {
			return b
		}
	case "!!int":
		if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 0); err == nil {
			return int(i)
		}
	case "!!float":
		if f, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return f
		}
	}
	return n.Value // strings, timestamps, binary and anything unparseable
}

func notWellFormed(n *yaml.Node) error {
	return errorf("Template format error: YAML not well-formed. (line %d, column %d)", n.Line, n.Column)
}

var yamlLine = regexp.MustCompile(`line (\d+)(?:, column (\d+))?`)

// yamlError rewrites the parser's message into AWS's wording.
func yamlError(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		err = fmt.Errorf("%s", strings.Join(te.Errors, "; "))
	}
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return errorf("Template format error: YAML not well-formed.")
	}
	col := "1"
	if m[2] != "" {
		col = m[2]
	}
	return errorf("Template format error: YAML not well-formed. (line %s, column %s)", m[1], col)
}
