package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
)

// shapeFunc is one generated (de)serializer function of the SDK: a struct
// shape with its members, or a list shape with its item element.
type shapeFunc struct {
	name    string
	goType  string // types.Vpc, ec2.CreateVpcInput; empty for lists
	list    bool
	item    string // lists (deserializers): the item element
	members []member
	calls   []string // the (de)serializer functions it calls
}

// member is one wire member of a struct shape.
type member struct {
	field string // Go field name
	wire  string // query key or XML element
	flat  bool   // serializers: written with FlatKey
	call  string // the (de)serializer of its value, if not a scalar
}

const (
	serPrefix   = "awsEc2query_serialize"
	deserPrefix = "awsEc2query_deserialize"
)

func parseFile(path string) (*ast.File, error) {
	return parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
}

// parseSerializers reads serializers.go: in a struct serializer every member
// is `if v.Field … { objectKey := object.Key("Name") (or FlatKey) … }`.
func parseSerializers(path string) (map[string]*shapeFunc, error) {
	file, err := parseFile(path)
	if err != nil {
		return nil, err
	}
	funcs := map[string]*shapeFunc{}
	for _, d := range file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || !isShapeFunc(fd.Name.Name, serPrefix+"Document", serPrefix+"OpDocument") {
			continue
		}
		f := &shapeFunc{name: fd.Name.Name}
		goType, list := paramType(fd, 1)
		f.goType, f.list = goType, list
		f.calls = calledFuncs(fd.Body, serPrefix)
		if !list {
			if f.members, err = serializerMembers(fd); err != nil {
				return nil, fmt.Errorf("%s: %w", fd.Name.Name, err)
			}
		}
		funcs[f.name] = f
	}
	return funcs, checkFlatLists(funcs)
}

func serializerMembers(fd *ast.FuncDecl) ([]member, error) {
	var members []member
	for _, stmt := range fd.Body.List {
		ifs, ok := stmt.(*ast.IfStmt)
		if !ok {
			continue
		}
		field := selectedField(ifs.Cond, "v")
		if field == "" || len(ifs.Body.List) == 0 {
			return nil, fmt.Errorf("unrecognised member statement at offset %d", ifs.Pos())
		}
		wire, flat, ok := objectKey(ifs.Body.List[0])
		if !ok {
			return nil, fmt.Errorf("member %s: no object.Key call", field)
		}
		m := member{field: field, wire: wire, flat: flat}
		if calls := calledFuncs(ifs.Body, serPrefix); len(calls) > 0 {
			m.call = calls[0]
		}
		members = append(members, m)
	}
	return members, nil
}

// objectKey recognises `objectKey := object.Key("Name")` and FlatKey.
func objectKey(stmt ast.Stmt) (name string, flat, ok bool) {
	as, isAssign := stmt.(*ast.AssignStmt)
	if !isAssign || len(as.Rhs) != 1 {
		return "", false, false
	}
	call, isCall := as.Rhs[0].(*ast.CallExpr)
	if !isCall || len(call.Args) != 1 {
		return "", false, false
	}
	sel, isSel := call.Fun.(*ast.SelectorExpr)
	if !isSel || (sel.Sel.Name != "Key" && sel.Sel.Name != "FlatKey") {
		return "", false, false
	}
	s, isString := stringLit(call.Args[0])
	return s, sel.Sel.Name == "FlatKey", isString
}

// checkFlatLists verifies the codec's assumption that ec2Query flattens
// every list member (SubnetId.1, never SubnetId.member.1).
func checkFlatLists(funcs map[string]*shapeFunc) error {
	for _, f := range funcs {
		for _, m := range f.members {
			if l := funcs[m.call]; l != nil && l.list && !m.flat {
				return fmt.Errorf("%s.%s: a list member not written with FlatKey", f.goType, m.field)
			}
		}
	}
	return nil
}

// parseDeserializers reads deserializers.go: in a struct deserializer every
// member is a `case strings.EqualFold("element", t.Name.Local):` whose body
// assigns sv.Field; a list deserializer has one case, its item element.
func parseDeserializers(path string) (map[string]*shapeFunc, error) {
	file, err := parseFile(path)
	if err != nil {
		return nil, err
	}
	funcs := map[string]*shapeFunc{}
	for _, d := range file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || strings.HasSuffix(fd.Name.Name, "Unwrapped") ||
			!isShapeFunc(fd.Name.Name, deserPrefix+"Document", deserPrefix+"OpDocument") {
			continue
		}
		f := &shapeFunc{name: fd.Name.Name}
		goType, list := paramType(fd, 2)
		f.goType, f.list = goType, list
		f.calls = calledFuncs(fd.Body, deserPrefix)
		if err := deserializerCases(fd, f); err != nil {
			return nil, fmt.Errorf("%s: %w", fd.Name.Name, err)
		}
		funcs[f.name] = f
	}
	return funcs, nil
}

func deserializerCases(fd *ast.FuncDecl, f *shapeFunc) error {
	seen := map[string]bool{}
	var err error
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		cc, ok := n.(*ast.CaseClause)
		if !ok || len(cc.List) == 0 || err != nil {
			return err == nil
		}
		wire, ok := equalFoldName(cc.List[0])
		if !ok {
			return true
		}
		if f.list {
			if f.item != "" && f.item != wire {
				err = fmt.Errorf("two item elements %q and %q", f.item, wire)
			}
			f.item = wire
			return false
		}
		block := &ast.BlockStmt{List: cc.Body}
		field := selectedField(block, "sv")
		if field == "" {
			err = fmt.Errorf("case %q assigns no member", wire)
			return false
		}
		if seen[field] {
			return false // a second element for the same member: the first is canonical
		}
		seen[field] = true
		m := member{field: field, wire: wire}
		if calls := calledFuncs(block, deserPrefix); len(calls) > 0 {
			m.call = calls[0]
		}
		f.members = append(f.members, m)
		return false
	})
	if err == nil && f.list && f.item == "" {
		err = fmt.Errorf("list without an item element")
	}
	return err
}

// equalFoldName recognises strings.EqualFold("name", t.Name.Local).
func equalFoldName(e ast.Expr) (string, bool) {
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) != 2 {
		return "", false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "EqualFold" {
		return "", false
	}
	return stringLit(call.Args[0])
}

func isShapeFunc(name string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// paramType is the Go type of the first parameter with stars pointers
// stripped (*types.Filter, **types.Vpc), qualified for the generated file,
// or list=true for a slice parameter.
func paramType(fd *ast.FuncDecl, stars int) (goType string, list bool) {
	e := fd.Type.Params.List[0].Type
	for range stars - 1 {
		if s, ok := e.(*ast.StarExpr); ok {
			e = s.X
		}
	}
	if s, ok := e.(*ast.StarExpr); ok {
		e = s.X
	}
	switch t := e.(type) {
	case *ast.ArrayType:
		return "", true
	case *ast.SelectorExpr:
		return t.X.(*ast.Ident).Name + "." + t.Sel.Name, false
	case *ast.Ident:
		return "ec2." + t.Name, false
	}
	return "", true // a map or other shape the codec does not name
}

// selectedField is the first field selected from variable recv in n.
func selectedField(n ast.Node, recv string) string {
	field := ""
	ast.Inspect(n, func(n ast.Node) bool {
		if field != "" {
			return false
		}
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == recv {
				field = sel.Sel.Name
				return false
			}
		}
		return true
	})
	return field
}

// calledFuncs lists the functions with the prefix called in n, in order.
func calledFuncs(n ast.Node, prefix string) []string {
	var calls []string
	ast.Inspect(n, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if id, ok := call.Fun.(*ast.Ident); ok && strings.HasPrefix(id.Name, prefix) {
				calls = append(calls, id.Name)
			}
		}
		return true
	})
	return calls
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}
