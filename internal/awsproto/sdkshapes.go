package awsproto

import (
	"reflect"
	"strings"

	ecsdocument "github.com/aws/aws-sdk-go-v2/service/ecs/document"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Interface-typed SDK members cannot be decoded by reflection alone: Go
// cannot list the implementations of an interface. The two registries
// below name them. Encoding needs neither (the dynamic type says it all).

// documentTypes maps each service's document interface to the constructor
// that wraps a decoded JSON value (maps, slices, strings, bools,
// document.Number, nil) in that interface.
var documentTypes = map[reflect.Type]func(any) any{
	reflect.TypeFor[ecsdocument.Interface](): func(v any) any { return ecsdocument.NewLazyDocument(v) },
}

// unionTypes maps each union interface to its variants by Go tag
// (SharingStrategyMemberNvidiaMps → "NvidiaMps").
var unionTypes = buildUnions(
	union[ecstypes.SharingStrategy](&ecstypes.SharingStrategyMemberNvidiaMps{}),
	union[ecstypes.ServiceConnectContainerConfiguration](&ecstypes.ServiceConnectContainerConfigurationMemberLogLevel{}),
	union[ecstypes.GatewayConfiguration](&ecstypes.GatewayConfigurationMemberHostSharedAlb{}),
	union[ecstypes.UpdateGatewayConfiguration](&ecstypes.UpdateGatewayConfigurationMemberHostSharedAlb{}),
	union[ecstypes.DescribeGatewayConfiguration](&ecstypes.DescribeGatewayConfigurationMemberHostSharedAlb{}),
	union[ecstypes.GatewayConnectionResources](&ecstypes.GatewayConnectionResourcesMemberHostSharedAlb{}),
	union[ecstypes.GatewayInfrastructureResources](&ecstypes.GatewayInfrastructureResourcesMemberHostSharedAlb{}),
	union[ecstypes.GatewayRouteResources](&ecstypes.GatewayRouteResourcesMemberHostSharedAlb{}),
	union[ecstypes.GatewayElbAccessLogDestination](&ecstypes.GatewayElbAccessLogDestinationMemberS3{}),
)

type unionSpec struct {
	iface    reflect.Type
	variants []reflect.Type
}

// union describes union interface I and its variants; the type parameter
// lets the compiler check that every variant belongs to I.
func union[I any](variants ...I) unionSpec {
	spec := unionSpec{iface: reflect.TypeFor[I]()}
	for _, v := range variants {
		spec.variants = append(spec.variants, reflect.TypeOf(v))
	}
	return spec
}

func buildUnions(specs ...unionSpec) map[reflect.Type]map[string]reflect.Type {
	out := make(map[reflect.Type]map[string]reflect.Type, len(specs))
	for _, s := range specs {
		byTag := make(map[string]reflect.Type, len(s.variants))
		for _, v := range s.variants {
			tag, ok := unionTag(s.iface, v)
			if !ok {
				panic("awsproto: " + v.String() + " is not a variant of " + s.iface.String())
			}
			byTag[tag] = v
		}
		out[s.iface] = byTag
	}
	return out
}

// unionTag recognises the SDK's union variant convention: a pointer to a
// struct named <Union>Member<Tag>, in the union's package, holding Value.
func unionTag(iface, variant reflect.Type) (string, bool) {
	if variant.Kind() != reflect.Pointer || variant.Elem().Kind() != reflect.Struct {
		return "", false
	}
	st := variant.Elem()
	if st.PkgPath() != iface.PkgPath() {
		return "", false
	}
	tag, ok := strings.CutPrefix(st.Name(), iface.Name()+"Member")
	if !ok || tag == "" {
		return "", false
	}
	if _, ok := st.FieldByName("Value"); !ok {
		return "", false
	}
	return tag, true
}
