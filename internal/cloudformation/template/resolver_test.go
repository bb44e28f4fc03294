package template

import "fmt"

// fakeResolver answers Ref and GetAtt for "created" resources from maps.
type fakeResolver struct {
	ids     map[string]string
	attrs   map[string]any // "Res.Attr" → value
	exports map[string]string
	zones   map[string][]string
	paramAt map[string]string // "type/value/attr" → value
}

func (f *fakeResolver) Ref(id string) (string, bool) {
	v, ok := f.ids[id]
	return v, ok
}

func (f *fakeResolver) GetAtt(id, attr string) (any, error) {
	if v, ok := f.attrs[id+"."+attr]; ok {
		return v, nil
	}
	return nil, errorf("Template error: resource %s does not support attribute type %s in Fn::GetAtt", id, attr)
}

func (f *fakeResolver) ImportValue(name string) (string, error) {
	if v, ok := f.exports[name]; ok {
		return v, nil
	}
	return "", errorf("No export named %s found", name)
}

func (f *fakeResolver) AZs(region string) []string { return f.zones[region] }

func (f *fakeResolver) ParameterAttribute(typ, value, attr string) (string, error) {
	if v, ok := f.paramAt[typ+"/"+value+"/"+attr]; ok {
		return v, nil
	}
	return "", fmt.Errorf("no attribute %s of %s", attr, value)
}

func newFake() *fakeResolver {
	return &fakeResolver{
		ids:     map[string]string{"Bucket": "my-bucket", "Role": "my-role"},
		attrs:   map[string]any{"Bucket.Arn": "arn:aws:s3:::my-bucket", "Role.Arn": "arn:aws:iam::123456789012:role/my-role", "Bucket.List": []any{"x", "y"}},
		exports: map[string]string{"shared-vpc": "vpc-12345678"},
		zones:   map[string][]string{"us-east-1": {"us-east-1a", "us-east-1b", "us-east-1c"}, "eu-west-1": {"eu-west-1a"}},
		paramAt: map[string]string{"AWS::EC2::Subnet::Id/subnet-1/VpcId": "vpc-1", "AWS::EC2::Subnet::Id/subnet-2/VpcId": "vpc-1", "AWS::EC2::Subnet::Id/subnet-9/VpcId": "vpc-1"},
	}
}
