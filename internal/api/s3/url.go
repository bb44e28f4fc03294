package s3

import (
	"net/http"
	"net/url"
	"strings"
)

// ParseURL names the object an S3 URL points at, as CloudFormation's
// TemplateURL and the CLI's s3 commands write them:
//
//	s3://<bucket>/<key>
//	http://localhost:4566/<bucket>/<key>                  (path style, any host)
//	https://s3.amazonaws.com/<bucket>/<key>, https://s3.<region>.amazonaws.com/<bucket>/<key>
//	https://<bucket>.s3.<region>.amazonaws.com/<key>, https://<bucket>.s3.amazonaws.com/<key>
//	http://<bucket>.localhost:4566/<key>                   (virtual-host style)
func ParseURL(raw string) (bucket, key string, err error) {
	u, perr := url.Parse(raw)
	if perr != nil || u.Host == "" {
		return "", "", errInvalidURL(raw)
	}
	switch {
	case u.Scheme == "s3":
		bucket, key = u.Host, strings.TrimPrefix(u.Path, "/")
	case u.Scheme == "http" || u.Scheme == "https":
		if b := hostBucket(u.Host); b != "" {
			bucket, key = b, strings.TrimPrefix(u.Path, "/")
		} else {
			bucket, key = splitPath(u.Path)
		}
	default:
		return "", "", errInvalidURL(raw)
	}
	if bucket == "" || key == "" {
		return "", "", errInvalidURL(raw)
	}
	return bucket, key, nil
}

func errInvalidURL(raw string) error {
	return &Error{Code: "InvalidArgument", Status: http.StatusBadRequest,
		Message: "The URL " + raw + " does not name an S3 object."}
}

// GetURL reads the object an S3 URL points at (see ParseURL).
func (a *API) GetURL(raw string) ([]byte, error) {
	bucket, key, err := ParseURL(raw)
	if err != nil {
		return nil, err
	}
	return a.GetObject(bucket, key)
}
