package template

import (
	"reflect"
	"testing"
)

func TestCidr(t *testing.T) {
	tests := []struct {
		in   string
		want []any
	}{
		// The examples of the Fn::Cidr documentation.
		{`!Cidr ["192.168.0.0/24", 6, 5]`, []any{"192.168.0.0/27", "192.168.0.32/27", "192.168.0.64/27", "192.168.0.96/27", "192.168.0.128/27", "192.168.0.160/27"}},
		{`!Cidr ["10.0.0.0/16", 3, 8]`, []any{"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"}},
		{`!Cidr ["10.0.0.0/16", "2", "12"]`, []any{"10.0.0.0/20", "10.0.16.0/20"}},
		{`!Cidr ["10.0.5.7/16", 1, 16]`, []any{"10.0.0.0/16"}},
		{`!Cidr ["2001:db8::/56", 2, 64]`, []any{"2001:db8::/64", "2001:db8:0:1::/64"}},
		{`!Select [1, !Cidr ["10.0.0.0/22", 4, 8]]`, []any{"10.0.1.0/24"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := Evaluate(yamlValue(t, tc.in), evalContext(t))
			if err != nil {
				t.Fatal(err)
			}
			if s, ok := got.(string); ok {
				got = []any{s}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCidrErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{`!Cidr ["10.0.0.0/16", 3]`, "Template error: every Fn::Cidr object requires three parameters, (1) an ip block, (2) a count and (3) the number of subnet bits"},
		{`!Cidr ["10.0.0.0", 3, 8]`, "Template error: Fn::Cidr ip block 10.0.0.0 is not a valid CIDR block"},
		{`!Cidr ["10.0.0.0/16", 0, 8]`, "Template error: Fn::Cidr count 0 is out of range: it must be between 1 and 256"},
		{`!Cidr ["10.0.0.0/16", 257, 4]`, "Template error: Fn::Cidr count 257 is out of range: it must be between 1 and 256"},
		{`!Cidr ["10.0.0.0/24", 1, 9]`, "Template error: Fn::Cidr cidrBits 9 is not valid for ip block 10.0.0.0/24"},
		{`!Cidr ["10.0.0.0/24", 3, 7]`, "Template error: Fn::Cidr ip block 10.0.0.0/24 cannot hold 3 subnets with 7 bits"},
		{`!Cidr ["10.0.0.0/16", x, 8]`, "Template error: every Fn::Cidr object requires three parameters, (1) an ip block, (2) a count and (3) the number of subnet bits"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Evaluate(yamlValue(t, tc.in), evalContext(t))
			assertError(t, err, tc.want)
		})
	}
}
