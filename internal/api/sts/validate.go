package sts

import (
	"regexp"

	"github.com/localaws/ecsemu/internal/awsproto"
)

// violations collects a request's constraint failures (see
// awsproto.Violations), with this service's own member checks.
type violations struct{ awsproto.Violations }

func (v violations) err() error { return v.Err() }

// The model's patterns, with the text AWS quotes in its messages.
var (
	sessionNameRe    = regexp.MustCompile(`^[\w+=,.@-]*$`)
	sessionNameText  = `[\w+=,.@-]*`
	accessKeyIDRe    = regexp.MustCompile(`^[\w]*$`)
	accessKeyIDText  = `[\w]*`
	arnCharsRe       = regexp.MustCompile("^[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]+$")
	arnCharsText     = `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`
	serialNumberRe   = regexp.MustCompile(`^[\w+=/:,.@-]*$`)
	serialNumberText = `[\w+=/:,.@-]*`
	tokenCodeRe      = regexp.MustCompile(`^[\d]*$`)
	tokenCodeText    = `[\d]*`
)
