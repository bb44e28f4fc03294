package acm

import (
	"crypto/tls"
	"strings"
)

// splitARN takes region and account out of an ACM certificate ARN:
// arn:<partition>:acm:<region>:<account>:certificate/<id>.
func splitARN(arn string) (region, account string, ok bool) {
	p := strings.SplitN(arn, ":", 6)
	if len(p) != 6 || p[0] != "arn" || p[2] != "acm" || p[3] == "" || len(p[4]) != 12 || !strings.HasPrefix(p[5], "certificate/") || len(p[5]) == len("certificate/") {
		return "", "", false
	}
	return p[3], p[4], true
}

// TLSCertificate is the key pair of a certificate (requested or imported),
// for the ALB to serve HTTPS listeners that name it.
func (a *API) TLSCertificate(arn string) (*tls.Certificate, error) {
	region, account, ok := splitARN(arn)
	if !ok {
		return nil, errInvalidARN(arn)
	}
	s := a.Store(account, region)
	s.mu.Lock()
	defer s.unlock()
	c, err := s.cert(arn)
	if err != nil {
		return nil, err
	}
	pair := c.pair
	return &pair, nil
}
