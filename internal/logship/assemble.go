package logship

import (
	"time"
	"unicode/utf8"

	"github.com/localaws/ecsemu/internal/api/logs"
	"github.com/localaws/ecsemu/internal/runtime"
)

// MaxEventBytes is the longest message of one event: CloudWatch's 256 KiB
// event limit less the 26 bytes PutLogEvents counts per event. A longer
// line becomes several events, as with ECS's awslogs driver.
const MaxEventBytes = 256<<10 - 26

// assembler turns engine entries into events: it joins the pieces of a
// line the engine split (stdout and stderr separately, as they interleave)
// and splits lines longer than MaxEventBytes. An event carries the time of
// the line's first piece.
type assembler struct {
	lines [2]pendingLine // stdout, stderr
}

type pendingLine struct {
	text   []byte
	at     time.Time
	active bool
}

// add takes one entry and emits the events it completes.
func (a *assembler) add(e runtime.LogEntry, emit func(logs.Event)) {
	p := &a.lines[0]
	if e.Stderr {
		p = &a.lines[1]
	}
	if !p.active {
		p.at, p.active = e.Time, true
	}
	p.text = append(p.text, e.Text...)
	for len(p.text) > MaxEventBytes {
		n := splitPoint(p.text, MaxEventBytes)
		emit(logs.Event{Timestamp: p.at, Message: string(p.text[:n])})
		p.text = append(p.text[:0], p.text[n:]...)
	}
	if !e.Partial {
		p.finish(emit)
	}
}

// flush emits the unfinished lines: the output ended without a newline.
func (a *assembler) flush(emit func(logs.Event)) {
	for i := range a.lines {
		if a.lines[i].active {
			a.lines[i].finish(emit)
		}
	}
}

func (p *pendingLine) finish(emit func(logs.Event)) {
	emit(logs.Event{Timestamp: p.at, Message: string(p.text)})
	p.text, p.active = p.text[:0], false
	if cap(p.text) > 64<<10 {
		p.text = nil // a rare long line need not keep its buffer
	}
}

// splitPoint is where to cut b to at most n bytes without splitting a
// UTF-8 sequence (bytes that are not UTF-8 are cut anywhere).
func splitPoint(b []byte, n int) int {
	for i := n; i > n-utf8.UTFMax && i > 0; i-- {
		if utf8.RuneStart(b[i]) {
			return i
		}
	}
	return n
}
