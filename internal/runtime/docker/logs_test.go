package docker

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"

	"github.com/localaws/ecsemu/internal/runtime"
)

// logStream builds what the engine sends for a follow with timestamps:
// one stdcopy frame per message.
func logStream(t *testing.T, frames ...struct {
	kind stdcopy.StdType
	text string
}) *logReader {
	t.Helper()
	var buf bytes.Buffer
	for _, f := range frames {
		writeFrame(&buf, f.kind, f.text)
	}
	body := io.NopCloser(&buf)
	return &logReader{body: body, br: newBufReader(body), cancel: func() {}}
}

// writeFrame writes one frame in the engine's multiplexed format.
func writeFrame(buf *bytes.Buffer, kind stdcopy.StdType, text string) {
	hdr := [8]byte{byte(kind)}
	binary.BigEndian.PutUint32(hdr[4:], uint32(len(text)))
	buf.Write(hdr[:])
	buf.WriteString(text)
}

func newBufReader(r io.Reader) *bufio.Reader { return bufio.NewReader(r) }

type frame = struct {
	kind stdcopy.StdType
	text string
}

func readAll(t *testing.T, l *logReader) ([]runtime.LogEntry, error) {
	t.Helper()
	var out []runtime.LogEntry
	for {
		e, err := l.Next()
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
}

func TestLogReaderFrames(t *testing.T) {
	const ts = "2026-12-02T16:51:15.123456789Z"
	at, _ := time.Parse(time.RFC3339Nano, ts)
	l := logStream(t,
		frame{stdcopy.Stdout, ts + " hello\n"},
		frame{stdcopy.Stderr, ts + " oops\n"},
		frame{stdcopy.Stdout, ts + " split at 16 KiB"},
		frame{stdcopy.Stdout, ts + " \n"},
		frame{stdcopy.Stdout, "no timestamp\n"},
	)
	got, err := readAll(t, l)
	if !errors.Is(err, io.EOF) {
		t.Fatalf("end of stream: %v, want io.EOF", err)
	}
	want := []runtime.LogEntry{
		{Time: at, Text: "hello"},
		{Time: at, Stderr: true, Text: "oops"},
		{Time: at, Text: "split at 16 KiB", Partial: true},
		{Time: at, Text: ""},
		{Text: "no timestamp"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d entries %+v, want %+v", len(got), got, want)
	}
	for i := range want {
		if !got[i].Time.Equal(want[i].Time) || got[i].Stderr != want[i].Stderr || got[i].Text != want[i].Text || got[i].Partial != want[i].Partial {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// A frame longer than maxChunk comes out in pieces of at most maxChunk,
// all but the last partial, all with the frame's timestamp.
func TestLogReaderHugeFrame(t *testing.T) {
	const ts = "2026-12-02T16:51:15.000000001Z"
	text := strings.Repeat("a", 2*maxChunk+10)
	l := logStream(t, frame{stdcopy.Stdout, ts + " " + text + "\n"})
	got, err := readAll(t, l)
	if !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	var joined strings.Builder
	for i, e := range got {
		if len(e.Text) > maxChunk || e.Partial != (i < len(got)-1) || e.Time.Nanosecond() != 1 {
			t.Errorf("piece %d: %d bytes, partial %v, time %v", i, len(e.Text), e.Partial, e.Time)
		}
		joined.WriteString(e.Text)
	}
	if joined.String() != text || len(got) != 3 {
		t.Errorf("%d pieces joined to %d bytes, want 3 pieces of %d bytes", len(got), joined.Len(), len(text))
	}
}

func TestLogReaderErrors(t *testing.T) {
	l := logStream(t, frame{stdcopy.Systemerr, "boom"})
	if _, err := l.Next(); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("systemerr frame: %v", err)
	}
	// A stream cut inside a frame is not a clean end.
	var buf bytes.Buffer
	writeFrame(&buf, stdcopy.Stdout, "2026-12-02T16:51:15Z cut here\n")
	body := io.NopCloser(bytes.NewReader(buf.Bytes()[:buf.Len()-4]))
	l = &logReader{body: body, br: newBufReader(body), cancel: func() {}}
	if _, err := l.Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("cut stream: %v, want io.ErrUnexpectedEOF", err)
	}
}

// TestFollowLogs runs a container that writes to stdout and stderr, a line
// longer than Docker's 16 KiB split and a last line without a newline. A
// follow ends once the container exited; a read after the exit has every
// line; a read since a timestamp starts there.
func TestFollowLogs(t *testing.T) {
	e := newTestEnv(t)
	sb := e.sandbox("logs")
	id := e.start(e.appSpec(sb, "printer", []string{"print", "-every", "300ms", "-partial", "one", "2>two", strings.Repeat("L", 40<<10), "last"}))
	ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
	defer cancel()
	follow := readLogs(t, ctx, e.r, id, time.Time{})
	if st := e.waitExit(id); st.ExitCode != 0 {
		t.Fatalf("printer exited %d", st.ExitCode)
	}
	// Docker 20.10 may end a follow before its last entries when the
	// container exits (the shipper reads once more after the exit).
	if len(follow) < 2 || follow[0].Text != "one" {
		t.Fatalf("follow saw %+v", follow)
	}

	entries := readLogs(t, ctx, e.r, id, time.Time{})
	want := []string{"one", "two", strings.Repeat("L", 40<<10), "last"}
	if lines := joinPartials(entries); !slices.Equal(lines, want) {
		t.Fatalf("got lines %.60q, want %.60q", lines, want)
	}
	if !entries[1].Stderr || entries[0].Stderr || entries[0].Time.IsZero() {
		t.Errorf("streams or times: %+v %+v", entries[0], entries[1])
	}
	if len(entries) != 6 || !entries[2].Partial || !entries[len(entries)-1].Partial {
		t.Errorf("want the 40 KiB line in three 16 KiB pieces and a partial last entry; got %d entries", len(entries))
	}

	// Since the timestamp of "two": "one" is left out.
	since := readLogs(t, ctx, e.r, id, entries[1].Time)
	if len(since) == 0 || since[0].Text != "two" {
		t.Errorf("entries since %v start with %+v, want two", entries[1].Time, since)
	}

	if _, err := e.r.FollowLogs(ctx, strings.Repeat("0", 64), time.Time{}); !errors.Is(err, runtime.ErrNotFound) {
		t.Errorf("FollowLogs of an unknown container: %v, want ErrNotFound", err)
	}
}

// readLogs follows a container's logs to their end.
func readLogs(t *testing.T, ctx context.Context, r *Runtime, id string, since time.Time) []runtime.LogEntry {
	t.Helper()
	lr, err := r.FollowLogs(ctx, id, since)
	if err != nil {
		t.Fatal(err)
	}
	defer lr.Close()
	var entries []runtime.LogEntry
	for {
		en, err := lr.Next()
		if errors.Is(err, io.EOF) {
			return entries
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		entries = append(entries, en)
	}
}

func joinPartials(entries []runtime.LogEntry) []string {
	var lines []string
	var cur strings.Builder
	for _, en := range entries {
		cur.WriteString(en.Text)
		if !en.Partial {
			lines = append(lines, cur.String())
			cur.Reset()
		}
	}
	if cur.Len() > 0 {
		lines = append(lines, cur.String())
	}
	return lines
}
