// Command ec2names writes the ec2Query name table of package awsproto: for
// every SDK struct the served EC2 operations reach, the query key of each
// input member and the XML element of each output member (and of its list
// items). The SDK structs carry no wire names; they live only in the
// SDK's generated serializers.go (object.Key("SubnetId"),
// object.FlatKey("Filter")) and deserializers.go
// (strings.EqualFold("vpcSet", t.Name.Local)), which this program parses.
//
// Run by go generate in internal/awsproto; it reads the SDK version go.mod
// names from the module cache.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// operations are the EC2 operations the emulator serves. Adding one is one
// line here and `go generate ./internal/awsproto`.
var operations = []string{
	"CreateVpc", "DeleteVpc", "DescribeVpcs", "ModifyVpcAttribute", "DescribeVpcAttribute",
	"CreateSubnet", "DeleteSubnet", "DescribeSubnets", "ModifySubnetAttribute",
	"CreateSecurityGroup", "DeleteSecurityGroup", "DescribeSecurityGroups",
	"AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
	"RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress",
	"DescribeSecurityGroupRules", "ModifySecurityGroupRules",
	"UpdateSecurityGroupRuleDescriptionsIngress", "UpdateSecurityGroupRuleDescriptionsEgress",
	"CreateInternetGateway", "DeleteInternetGateway", "AttachInternetGateway",
	"DetachInternetGateway", "DescribeInternetGateways",
	"CreateRouteTable", "DeleteRouteTable", "DescribeRouteTables",
	"CreateRoute", "DeleteRoute", "ReplaceRoute",
	"AssociateRouteTable", "DisassociateRouteTable", "ReplaceRouteTableAssociation",
	"CreateNatGateway", "DeleteNatGateway", "DescribeNatGateways",
	"AllocateAddress", "ReleaseAddress", "DescribeAddresses", "AssociateAddress", "DisassociateAddress",
	"CreateVpcEndpoint", "DeleteVpcEndpoints", "DescribeVpcEndpoints", "ModifyVpcEndpoint",
	"CreateNetworkInterface", "DeleteNetworkInterface", "DescribeNetworkInterfaces",
	"DescribeAvailabilityZones", "DescribeRegions", "DescribeAccountAttributes",
	"CreateTags", "DeleteTags", "DescribeTags",
	"RunInstances", "DescribeInstances", "StartInstances", "StopInstances",
	"TerminateInstances", "RebootInstances", "DescribeInstanceStatus",
	"DescribeVpnGateways", "DescribeImages",
	"DescribeKeyPairs", "CreateKeyPair", "DeleteKeyPair",
	"DescribePrefixLists", "DescribeManagedPrefixLists",
}

func main() {
	out := flag.String("o", "ec2names.go", "file to write")
	flag.Parse()
	dir, err := sdkDir()
	if err != nil {
		log.Fatal(err)
	}
	in, err := parseSerializers(filepath.Join(dir, "serializers.go"))
	if err != nil {
		log.Fatal(err)
	}
	outs, err := parseDeserializers(filepath.Join(dir, "deserializers.go"))
	if err != nil {
		log.Fatal(err)
	}
	var inRoots, outRoots []string
	for _, op := range operations {
		inRoots = append(inRoots, "awsEc2query_serializeOpDocument"+op+"Input")
		outRoots = append(outRoots, "awsEc2query_deserializeOpDocument"+op+"Output")
	}
	inShapes, err := reach(in, inRoots)
	if err != nil {
		log.Fatal(err)
	}
	outShapes, err := reach(outs, existing(outs, outRoots))
	if err != nil {
		log.Fatal(err)
	}
	src, err := render(sdkVersion(dir), inShapes, outShapes, outs)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}

// existing drops the output roots the SDK has no deserializer for: an
// operation with an empty output (DeleteVpc) has none. The input roots
// have already checked the operation names.
func existing(funcs map[string]*shapeFunc, roots []string) []string {
	return slices.DeleteFunc(slices.Clone(roots), func(r string) bool { return funcs[r] == nil })
}

// sdkDir is the module cache directory of the ec2 SDK version go.mod names.
func sdkDir() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-sdk-go-v2/service/ec2").Output()
	if err != nil {
		return "", fmt.Errorf("locating the ec2 SDK (go list -m): %w", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", fmt.Errorf("the ec2 SDK is not in the module cache: run go mod download github.com/aws/aws-sdk-go-v2/service/ec2")
	}
	return dir, nil
}

// sdkVersion is the version suffix of the module directory (ec2@v1.2.3).
func sdkVersion(dir string) string {
	_, v, _ := strings.Cut(filepath.Base(dir), "@")
	return v
}

// reach returns the struct shapes reachable from the root functions, in
// name order. A root that does not exist is an operation name typo.
func reach(funcs map[string]*shapeFunc, roots []string) ([]*shapeFunc, error) {
	seen := map[string]bool{}
	queue := slices.Clone(roots)
	var shapes []*shapeFunc
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if seen[name] {
			continue
		}
		seen[name] = true
		f, ok := funcs[name]
		if !ok {
			if slices.Contains(roots, name) {
				return nil, fmt.Errorf("%s: no such SDK function (is the operation name right?)", name)
			}
			continue // a helper the generated code calls that is no shape
		}
		if !f.list {
			shapes = append(shapes, f)
		}
		queue = append(queue, f.calls...)
	}
	slices.SortFunc(shapes, func(a, b *shapeFunc) int { return strings.Compare(a.goType, b.goType) })
	return shapes, nil
}

func render(version string, in, out []*shapeFunc, all map[string]*shapeFunc) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by internal/ec2names from aws-sdk-go-v2/service/ec2 %s; DO NOT EDIT.\n\n", version)
	b.WriteString("package awsproto\n\n")
	b.WriteString("// ec2InputNames is the query key of each input member, by SDK struct\n// (ec2.X, types.X) and Go field name. Lists are flattened under these keys\n// (Filter.1.Value.1).\n")
	b.WriteString("var ec2InputNames = map[string]map[string]string{\n")
	for _, s := range in {
		fmt.Fprintf(&b, "\t%q: {", s.goType)
		for i, m := range s.members {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%q: %q", m.field, m.wire)
		}
		b.WriteString("},\n")
	}
	b.WriteString("}\n\n")
	b.WriteString("// ec2OutputNames is the XML element of each output member, by SDK struct\n// (ec2.X, types.X) and Go field name, with the element of its items for a\n// list member.\n")
	b.WriteString("var ec2OutputNames = map[string]map[string]ec2Element{\n")
	for _, s := range out {
		fmt.Fprintf(&b, "\t%q: {", s.goType)
		for i, m := range s.members {
			if i > 0 {
				b.WriteString(", ")
			}
			item := ""
			if m.call != "" {
				if l := all[m.call]; l != nil && l.list {
					item = l.item
				}
			}
			fmt.Fprintf(&b, "%q: {%q, %q}", m.field, m.wire, item)
		}
		b.WriteString("},\n")
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}
