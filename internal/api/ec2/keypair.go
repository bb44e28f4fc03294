package ec2

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/localaws/ecsemu/internal/clone"
)

func (s *Store) keyByID(id string) *types.KeyPairInfo {
	for _, k := range s.keys {
		if *k.KeyPairId == id {
			return k
		}
	}
	return nil
}

// newKeyMaterial makes a private key in PEM and its fingerprint as EC2
// computes it for keys it creates: the SHA-1 of the PKCS#8 DER for RSA,
// the base64 SHA-256 of the public key for ED25519.
func newKeyMaterial(kind types.KeyType) (string, string, error) {
	if kind == types.KeyTypeEd25519 {
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return "", "", err
		}
		der, err := x509.MarshalPKCS8PrivateKey(priv)
		if err != nil {
			return "", "", err
		}
		sum := sha256.Sum256(pub)
		return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), base64.StdEncoding.EncodeToString(sum[:]), nil
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return "", "", err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", err
	}
	sum := sha1.Sum(pkcs8)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02x", b)
	}
	block := &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}
	return string(pem.EncodeToMemory(block)), strings.Join(parts, ":"), nil
}

// CreateKeyPair creates a key pair and returns its private key once.
func (s *Store) CreateKeyPair(_ context.Context, in *ec2.CreateKeyPairInput) (*ec2.CreateKeyPairOutput, error) {
	if in.KeyName == nil {
		return nil, errMissing("keyName")
	}
	if *in.KeyName == "" || len(*in.KeyName) > 255 {
		return nil, errInvalidParameterValue("Invalid value '%s' for keyName. Length must be between 1 and 255 characters.", *in.KeyName)
	}
	kind := in.KeyType
	if kind == "" {
		kind = types.KeyTypeRsa
	}
	if kind != types.KeyTypeRsa && kind != types.KeyTypeEd25519 {
		return nil, errInvalidParameterValue("Invalid value '%s' for keyType.", kind)
	}
	if in.KeyFormat != "" && in.KeyFormat != types.KeyFormatPem {
		return nil, errInvalidParameterValue("The emulator only creates keys in the pem format.")
	}
	tags, err := specTags(in.TagSpecifications, types.ResourceTypeKeyPair)
	if err != nil {
		return nil, err
	}
	material, fingerprint, err := newKeyMaterial(kind)
	if err != nil {
		return nil, &smithy.GenericAPIError{Code: "InternalError", Message: "An internal error has occurred", Fault: smithy.FaultServer}
	}
	var out ec2.CreateKeyPairOutput
	err = s.write(func() error {
		if s.keys[*in.KeyName] != nil {
			return errorf("InvalidKeyPair.Duplicate", "The keypair '%s' already exists.", *in.KeyName)
		}
		k := &types.KeyPairInfo{KeyName: ptr(*in.KeyName), KeyPairId: ptr(s.newID("key")), KeyFingerprint: ptr(fingerprint),
			KeyType: kind, CreateTime: ptr(s.now())}
		s.keys[*in.KeyName] = k
		s.addTags(*k.KeyPairId, tags)
		out = ec2.CreateKeyPairOutput{KeyName: ptr(*k.KeyName), KeyPairId: ptr(*k.KeyPairId), KeyFingerprint: ptr(fingerprint),
			KeyMaterial: ptr(material), Tags: s.tagsOf(*k.KeyPairId)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteKeyPair deletes a key pair by name or ID; deleting one that does
// not exist succeeds, as on EC2.
func (s *Store) DeleteKeyPair(_ context.Context, in *ec2.DeleteKeyPairInput) (*ec2.DeleteKeyPairOutput, error) {
	if in.KeyName == nil && in.KeyPairId == nil {
		return nil, errMissing("keyName")
	}
	out := &ec2.DeleteKeyPairOutput{Return: ptr(true)}
	return out, s.write(func() error {
		k := s.keys[deref(in.KeyName)]
		if in.KeyPairId != nil {
			k = s.keyByID(*in.KeyPairId)
		}
		if k == nil {
			return nil
		}
		out.KeyPairId = ptr(*k.KeyPairId)
		delete(s.keys, *k.KeyName)
		s.forget(*k.KeyPairId)
		return nil
	})
}

var keyFilters = filterSet[*types.KeyPairInfo]{
	"key-pair-id": func(k *types.KeyPairInfo) []string { return strv(k.KeyPairId) },
	"key-name":    func(k *types.KeyPairInfo) []string { return strv(k.KeyName) },
	"fingerprint": func(k *types.KeyPairInfo) []string { return strv(k.KeyFingerprint) },
	"key-type":    func(k *types.KeyPairInfo) []string { return one(string(k.KeyType)) },
}

// DescribeKeyPairs lists key pairs by name, ID and filters.
func (s *Store) DescribeKeyPairs(_ context.Context, in *ec2.DescribeKeyPairsInput) (*ec2.DescribeKeyPairsOutput, error) {
	s.lock()
	defer s.unlock()
	byID := map[string]*types.KeyPairInfo{}
	for _, k := range s.keys {
		byID[*k.KeyPairId] = k
	}
	recs, err := selectIDs(s, byID, "key", in.KeyPairIds)
	if err != nil {
		return nil, err
	}
	if len(in.KeyNames) > 0 {
		var named []*types.KeyPairInfo
		for _, n := range in.KeyNames {
			k := s.keys[n]
			if k == nil {
				return nil, errNotFound("key", n)
			}
			named = append(named, k)
		}
		recs = named
	}
	recs, err = filterItems(s, keyFilters, in.Filters, recs, func(k *types.KeyPairInfo) string { return *k.KeyPairId })
	if err != nil {
		return nil, err
	}
	out := make([]types.KeyPairInfo, 0, len(recs))
	for _, k := range recs {
		v := clone.Of(*k)
		v.Tags = s.tagsOf(*k.KeyPairId)
		out = append(out, v)
	}
	return &ec2.DescribeKeyPairsOutput{KeyPairs: out}, nil
}
