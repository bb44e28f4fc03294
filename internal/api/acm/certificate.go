package acm

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/acm/types"

	"github.com/localaws/ecsemu/internal/clone"
	"github.com/localaws/ecsemu/internal/paging"
)

// maxSANs is ACM's default quota of domain names per certificate.
const maxSANs = 100

// RequestCertificate issues a certificate for a domain and its SANs at
// once. A repeated IdempotencyToken within an hour returns the same
// certificate.
func (s *Store) RequestCertificate(_ context.Context, in *acm.RequestCertificateInput) (*acm.RequestCertificateOutput, error) {
	var v violations
	v.Required(in.DomainName, "domainName")
	v.domain(in.DomainName, "domainName")
	if len(in.SubjectAlternativeNames) > maxSANs {
		v.Add(in.SubjectAlternativeNames, "subjectAlternativeNames", "Member must have length less than or equal to 100")
	}
	for i := range in.SubjectAlternativeNames {
		v.domain(&in.SubjectAlternativeNames[i], "subjectAlternativeNames")
	}
	v.Length(in.IdempotencyToken, "idempotencyToken", 1, 32)
	v.Pattern(in.IdempotencyToken, "idempotencyToken", tokenRe, tokenText)
	if in.KeyAlgorithm != "" && !slices.Contains(in.KeyAlgorithm.Values(), in.KeyAlgorithm) {
		v.Add(in.KeyAlgorithm, "keyAlgorithm", "Member must satisfy enum value set: [RSA_2048, EC_prime256v1, EC_secp384r1]")
	}
	if in.ValidationMethod != "" && !slices.Contains(in.ValidationMethod.Values(), in.ValidationMethod) {
		v.Add(in.ValidationMethod, "validationMethod", "Member must satisfy enum value set: [EMAIL, DNS, HTTP]")
	}
	v.tagList(in.Tags)
	if err := v.err(); err != nil {
		return nil, err
	}
	names := domainNames(*in.DomainName, in.SubjectAlternativeNames)
	alg := in.KeyAlgorithm
	if alg == "" {
		alg = types.KeyAlgorithmRsa2048
	}
	method := in.ValidationMethod
	if method == "" {
		method = types.ValidationMethodDns
	}
	now := s.opts.Now().UTC().Truncate(1e9)
	s.mu.Lock()
	defer s.unlock()
	if t, ok := s.tokens[deref(in.IdempotencyToken)]; ok && now.Sub(t.at) < idempotencyWindow {
		return &acm.RequestCertificateOutput{CertificateArn: ptr(t.arn)}, nil
	}
	body, pair, leaf, err := selfSigned(s.opts.Rand, names, alg, now)
	if err != nil {
		return nil, err
	}
	key, err := keyPEM(pair.PrivateKey)
	if err != nil {
		return nil, err
	}
	arn := s.newARN()
	c := &certificate{body: body, pair: pair, key: key, tags: mergeTags(nil, in.Tags)}
	c.detail = s.detail(arn, leaf, alg)
	c.detail.Type = types.CertificateTypeAmazonIssued
	c.detail.Issuer = ptr("Amazon")
	c.detail.IssuedAt = ptr(now)
	c.detail.DomainValidationOptions = validations(names, method, in.DomainValidationOptions)
	c.detail.Options = &types.CertificateOptions{CertificateTransparencyLoggingPreference: types.CertificateTransparencyLoggingPreferenceEnabled}
	if in.Options != nil && in.Options.CertificateTransparencyLoggingPreference != "" {
		c.detail.Options.CertificateTransparencyLoggingPreference = in.Options.CertificateTransparencyLoggingPreference
	}
	s.add(c)
	if in.IdempotencyToken != nil {
		if old, ok := s.tokens[*in.IdempotencyToken]; ok {
			s.touch(old.arn) // its record lists the token
		}
		s.tokens[*in.IdempotencyToken] = issuedToken{arn: arn, at: now}
	}
	return &acm.RequestCertificateOutput{CertificateArn: ptr(arn)}, nil
}

// domainNames is the domain followed by the SANs, without repeats: the
// certificate's names, as ACM lists them in SubjectAlternativeNames.
func domainNames(domain string, sans []string) []string {
	names := []string{domain}
	for _, n := range sans {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// detail is what every certificate reports about its X.509 content.
func (s *Store) detail(arn string, leaf *x509.Certificate, alg types.KeyAlgorithm) types.CertificateDetail {
	sig := "SHA256WITHRSA"
	if strings.HasPrefix(string(alg), "EC_") {
		sig = "SHA256WITHECDSA"
	}
	names := leaf.DNSNames
	if len(names) == 0 {
		names = []string{leaf.Subject.CommonName}
	}
	return types.CertificateDetail{
		CertificateArn:          ptr(arn),
		CreatedAt:               ptr(s.opts.Now().UTC().Truncate(1e9)),
		DomainName:              ptr(names[0]),
		SubjectAlternativeNames: names,
		Subject:                 ptr("CN=" + leaf.Subject.CommonName),
		Serial:                  ptr(serial(leaf)),
		NotBefore:               ptr(leaf.NotBefore.UTC()),
		NotAfter:                ptr(leaf.NotAfter.UTC()),
		KeyAlgorithm:            alg,
		SignatureAlgorithm:      ptr(sig),
		Status:                  types.CertificateStatusIssued,
		InUseBy:                 []string{},
		RenewalEligibility:      types.RenewalEligibilityIneligible,
		KeyUsages:               []types.KeyUsage{{Name: types.KeyUsageNameDigitalSignature}, {Name: types.KeyUsageNameKeyEncipherment}},
		ExtendedKeyUsages: []types.ExtendedKeyUsage{
			{Name: types.ExtendedKeyUsageNameTlsWebServerAuthentication, OID: ptr("1.3.6.1.5.5.7.3.1")},
			{Name: types.ExtendedKeyUsageNameTlsWebClientAuthentication, OID: ptr("1.3.6.1.5.5.7.3.2")},
		},
	}
}

// serial is the certificate serial as ACM writes it: colon-separated hex.
func serial(leaf *x509.Certificate) string {
	h := hex.EncodeToString(leaf.SerialNumber.Bytes())
	parts := make([]string, 0, len(h)/2)
	for i := 0; i+1 < len(h); i += 2 {
		parts = append(parts, h[i:i+2])
	}
	return strings.Join(parts, ":")
}

// validations reports every name validated: DNS validation with the CNAME
// record ACM would have asked for (derived from the name, so it is stable).
func validations(names []string, method types.ValidationMethod, opts []types.DomainValidationOption) []types.DomainValidation {
	out := make([]types.DomainValidation, 0, len(names))
	for _, n := range names {
		base := strings.TrimPrefix(n, "*.")
		dv := types.DomainValidation{DomainName: ptr(n), ValidationDomain: ptr(base), ValidationMethod: method, ValidationStatus: types.DomainStatusSuccess}
		for _, o := range opts {
			if deref(o.DomainName) == n && o.ValidationDomain != nil {
				dv.ValidationDomain = ptr(*o.ValidationDomain)
			}
		}
		if method == types.ValidationMethodDns {
			sum := sha256.Sum256([]byte(base))
			dv.ResourceRecord = &types.ResourceRecord{
				Name:  ptr("_" + hex.EncodeToString(sum[:16]) + "." + base + "."),
				Type:  types.RecordTypeCname,
				Value: ptr("_" + hex.EncodeToString(sum[16:]) + ".acm-validations.aws."),
			}
		} else if method == types.ValidationMethodEmail {
			dv.ValidationEmails = []string{"admin@" + base, "administrator@" + base, "hostmaster@" + base, "postmaster@" + base, "webmaster@" + base}
		}
		out = append(out, dv)
	}
	return out
}

// DescribeCertificate returns a certificate's details.
func (s *Store) DescribeCertificate(_ context.Context, in *acm.DescribeCertificateInput) (*acm.DescribeCertificateOutput, error) {
	var v violations
	v.arn(in.CertificateArn, "certificateArn")
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkARN(*in.CertificateArn); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	c, err := s.cert(*in.CertificateArn)
	if err != nil {
		return nil, err
	}
	d := clone.Of(c.detail)
	d.Status = s.status(c)
	if s.opts.InUse(*in.CertificateArn) {
		d.RenewalEligibility = types.RenewalEligibilityEligible
	}
	return &acm.DescribeCertificateOutput{Certificate: &d}, nil
}

// ListCertificates lists certificates by creation, filtered by status and
// (as ACM does by default) by key type: RSA_2048 unless Includes.KeyTypes
// names others.
func (s *Store) ListCertificates(_ context.Context, in *acm.ListCertificatesInput) (*acm.ListCertificatesOutput, error) {
	var v violations
	v.Between(in.MaxItems, "maxItems", 1, 1000)
	v.Length(in.NextToken, "nextToken", 1, 10000)
	if err := v.err(); err != nil {
		return nil, err
	}
	keyTypes := []types.KeyAlgorithm{types.KeyAlgorithmRsa2048}
	if in.Includes != nil && len(in.Includes.KeyTypes) > 0 {
		keyTypes = in.Includes.KeyTypes
	}
	s.mu.Lock()
	list := []types.CertificateSummary{}
	for _, arn := range s.order {
		c := s.certs[arn]
		status := s.status(c)
		if (len(in.CertificateStatuses) > 0 && !slices.Contains(in.CertificateStatuses, status)) || !slices.Contains(keyTypes, c.detail.KeyAlgorithm) {
			continue
		}
		list = append(list, s.summary(c, status))
	}
	s.unlock()
	n := 1000
	if in.MaxItems != nil {
		n = int(*in.MaxItems)
	}
	items, next, err := paging.Page(list, deref(in.NextToken), n, "acm")
	if err != nil {
		return nil, &types.InvalidArgsException{Message: ptr("The NextToken is invalid.")}
	}
	out := &acm.ListCertificatesOutput{CertificateSummaryList: items}
	if next != "" {
		out.NextToken = &next
	}
	return out, nil
}

// summary is a certificate as ListCertificates shows it; the caller
// holds the lock.
func (s *Store) summary(c *certificate, status types.CertificateStatus) types.CertificateSummary {
	d := c.detail
	return types.CertificateSummary{
		CertificateArn:                       ptr(*d.CertificateArn),
		DomainName:                           ptr(*d.DomainName),
		SubjectAlternativeNameSummaries:      slices.Clone(d.SubjectAlternativeNames),
		HasAdditionalSubjectAlternativeNames: ptr(false),
		Status:                               status,
		Type:                                 d.Type,
		KeyAlgorithm:                         d.KeyAlgorithm,
		KeyUsages:                            []types.KeyUsageName{types.KeyUsageNameDigitalSignature, types.KeyUsageNameKeyEncipherment},
		ExtendedKeyUsages:                    []types.ExtendedKeyUsageName{types.ExtendedKeyUsageNameTlsWebServerAuthentication, types.ExtendedKeyUsageNameTlsWebClientAuthentication},
		InUse:                                ptr(s.opts.InUse(*d.CertificateArn)),
		RenewalEligibility:                   d.RenewalEligibility,
		NotBefore:                            clone.Of(d.NotBefore),
		NotAfter:                             clone.Of(d.NotAfter),
		CreatedAt:                            clone.Of(d.CreatedAt),
		IssuedAt:                             clone.Of(d.IssuedAt),
		ImportedAt:                           clone.Of(d.ImportedAt),
	}
}

// DeleteCertificate deletes a certificate no listener uses.
func (s *Store) DeleteCertificate(_ context.Context, in *acm.DeleteCertificateInput) (*acm.DeleteCertificateOutput, error) {
	var v violations
	v.arn(in.CertificateArn, "certificateArn")
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkARN(*in.CertificateArn); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	if _, err := s.cert(*in.CertificateArn); err != nil {
		return nil, err
	}
	if s.opts.InUse(*in.CertificateArn) {
		return nil, &types.ResourceInUseException{Message: msgf("Certificate %s in account %s is in use.", *in.CertificateArn, s.account)}
	}
	s.touch(*in.CertificateArn)
	delete(s.certs, *in.CertificateArn)
	s.order = slices.DeleteFunc(s.order, func(a string) bool { return a == *in.CertificateArn })
	return &acm.DeleteCertificateOutput{}, nil
}

// GetCertificate returns the PEM certificate and its chain (none for the
// self-signed certificates of requests).
func (s *Store) GetCertificate(_ context.Context, in *acm.GetCertificateInput) (*acm.GetCertificateOutput, error) {
	var v violations
	v.arn(in.CertificateArn, "certificateArn")
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkARN(*in.CertificateArn); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.unlock()
	c, err := s.cert(*in.CertificateArn)
	if err != nil {
		return nil, err
	}
	out := &acm.GetCertificateOutput{Certificate: ptr(c.body)}
	if c.chain != "" {
		out.CertificateChain = ptr(c.chain)
	}
	return out, nil
}
