package secretsmanager

import (
	"bytes"
	"slices"
)

// The staging labels Secrets Manager itself moves.
const (
	stageCurrent  = "AWSCURRENT"
	stagePrevious = "AWSPREVIOUS"
)

// Version limits: a secret keeps at most maxVersions versions, dropping
// the oldest unlabelled ones beyond that; a version carries at most
// maxStages labels.
const (
	maxVersions = 100
	maxStages   = 20
)

// attach puts a staging label on v, taking it off whichever version had
// it. Moving AWSCURRENT also moves AWSPREVIOUS to the version that was
// current, as Secrets Manager does.
func (sec *secret) attach(v *version, stage string) {
	old := sec.byStage(stage)
	if old == v {
		return
	}
	if old != nil {
		old.stages = without(old.stages, stage)
	}
	if stage == stageCurrent && old != nil {
		if prev := sec.byStage(stagePrevious); prev != nil {
			prev.stages = without(prev.stages, stagePrevious)
		}
		old.stages = append(old.stages, stagePrevious)
	}
	v.stages = append(v.stages, stage)
}

// detach takes a staging label off v.
func (v *version) detach(stage string) { v.stages = without(v.stages, stage) }

func without(stages []string, stage string) []string {
	return slices.DeleteFunc(slices.Clone(stages), func(s string) bool { return s == stage })
}

// addVersion appends a version holding the value and moves the labels to
// it (AWSCURRENT when none are given), then drops deprecated versions
// beyond the limit.
func (sec *secret) addVersion(v *version, stages []string) {
	if len(stages) == 0 {
		stages = []string{stageCurrent}
	}
	sec.versions = append(sec.versions, v)
	for _, st := range stages {
		sec.attach(v, st)
	}
	for i := 0; len(sec.versions) > maxVersions && i < len(sec.versions); {
		if len(sec.versions[i].stages) == 0 {
			sec.versions = slices.Delete(sec.versions, i, i+1)
			continue
		}
		i++
	}
}

// sameValue reports whether a retried request carries the value the
// version already holds (an idempotent retry).
func (v *version) sameValue(str *string, bin []byte) bool {
	if str != nil || v.str != nil {
		return str != nil && v.str != nil && *str == *v.str
	}
	return bytes.Equal(v.bin, bin)
}

// stagesMap is VersionIdsToStages: every version that carries a label.
func (sec *secret) stagesMap() map[string][]string {
	m := map[string][]string{}
	for _, v := range sec.versions {
		if len(v.stages) > 0 {
			m[v.id] = slices.Clone(v.stages)
		}
	}
	return m
}

func validStages(stages []string) error {
	if stages == nil {
		return nil
	}
	if len(stages) < 1 || len(stages) > maxStages {
		return errConstraint(stages, "versionStages", "Member must have length between 1 and 20")
	}
	for _, st := range stages {
		if err := validStage(st, "versionStages.member"); err != nil {
			return err
		}
	}
	return nil
}

func validStage(st, member string) error {
	if st == "" || len(st) > 256 {
		return errConstraint(st, member, "Member must have length between 1 and 256")
	}
	return nil
}
