package ssm

import (
	"encoding/base64"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// Value limits per tier: 4 KB for Standard, 8 KB for Advanced.
const (
	maxStandardValue = 4096
	maxAdvancedValue = 8192
	defaultKeyID     = "alias/aws/ssm"
	defaultDataType  = "text"
)

// dataTypes are the data types Parameter Store knows; values are not
// checked against them (an aws:ec2:image parameter is not looked up in
// EC2).
var dataTypes = []string{"text", "aws:ec2:image", "aws:ssm:integration"}

// chooseTier is the tier a put leaves a parameter in: the requested one,
// Intelligent-Tiering resolved by size and policies, and never a
// downgrade from Advanced (AWS refuses one).
func chooseTier(requested types.ParameterTier, current types.ParameterTier, value string, hasPolicies bool) (types.ParameterTier, error) {
	tier := requested
	switch tier {
	case "":
		tier = types.ParameterTierStandard
		if current == types.ParameterTierAdvanced {
			tier = current
		}
	case types.ParameterTierIntelligentTiering:
		tier = types.ParameterTierStandard
		if len(value) > maxStandardValue || hasPolicies || current == types.ParameterTierAdvanced {
			tier = types.ParameterTierAdvanced
		}
	case types.ParameterTierStandard, types.ParameterTierAdvanced:
	default:
		return "", errConstraint(requested, "tier", "Member must satisfy enum value set: [Standard, Advanced, Intelligent-Tiering]")
	}
	if tier == types.ParameterTierStandard && current == types.ParameterTierAdvanced {
		return "", errValidation("This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.")
	}
	if tier == types.ParameterTierStandard && hasPolicies {
		return "", errValidation("Parameter policies are supported only for advanced-tier parameters. Specify the advanced-parameter tier or Intelligent-Tiering and try again.")
	}
	return tier, nil
}

// validValueSize checks a value against its tier's limit.
func validValueSize(value string, tier types.ParameterTier) error {
	if value == "" {
		return errConstraint("", "value", "Member must have length greater than or equal to 1.")
	}
	if tier == types.ParameterTierStandard && len(value) > maxStandardValue {
		return errValidation("Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html")
	}
	if len(value) > maxAdvancedValue {
		return errValidation("Advanced tier parameters support a maximum parameter value of 8192 characters.")
	}
	if !utf8.ValidString(value) {
		return errValidation("Parameter value must be valid UTF-8.")
	}
	return nil
}

func validType(t types.ParameterType) error {
	if t != "" && !slices.Contains(types.ParameterType("").Values(), t) {
		return errConstraint(t, "type", "Member must satisfy enum value set: [String, StringList, SecureString]")
	}
	return nil
}

func validDataType(dt string) error {
	if dt != "" && !slices.Contains(dataTypes, dt) {
		return errValidation("The following data type is not supported: %s (Data type names are all lowercase.)", dt)
	}
	return nil
}

// matchPattern checks value against an AllowedPattern, which AWS applies
// to the whole value (Java's Pattern.matches). Patterns RE2 cannot compile
// (back-references, look-arounds) are refused as invalid.
func matchPattern(pattern, value string) error {
	if pattern == "" {
		return nil
	}
	re, err := regexp.Compile(`^(?:` + pattern + `)$`)
	if err != nil {
		return errInvalidPattern(pattern)
	}
	if !re.MatchString(value) {
		return errPatternMismatch(pattern)
	}
	return nil
}

// wireValue is the Value a read returns: SecureString values stay
// "encrypted" (an opaque base64 text naming the key, as AWS returns KMS
// ciphertext) unless the caller asked for decryption.
func wireValue(v *version, decrypt bool) string {
	if v.typ != types.ParameterTypeSecureString || decrypt {
		return v.value
	}
	return base64.StdEncoding.EncodeToString([]byte("kms:" + v.keyID + ":" + v.value))
}
