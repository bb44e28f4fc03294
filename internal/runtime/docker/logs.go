package docker

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/client"

	"github.com/localaws/ecsemu/internal/runtime"
)

// maxChunk caps what one entry holds, so that a huge frame from the engine
// cannot make us allocate its full size: the rest comes as further
// entries, marked partial. Docker's frames are one log message each, at
// most 16 KiB of text (its log copier splits longer lines), so this only
// guards against an engine that behaves otherwise.
const maxChunk = 256 << 10

// FollowLogs streams a container's output with the engine's timestamps.
// The engine ends a follow when the container stops, after sending what
// it logged; for a container that is not running it sends the logs and
// ends at once.
func (r *Runtime) FollowLogs(ctx context.Context, id string, since time.Time) (runtime.LogReader, error) {
	opts := client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Timestamps: true, Follow: true}
	if !since.IsZero() {
		// The engine keeps entries at or after since (nanoseconds count).
		opts.Since = fmt.Sprintf("%d.%09d", since.Unix(), since.Nanosecond())
	}
	// The stream lives until the container stops, so only the wait for
	// the engine's answer is bounded by the call timeout.
	streamCtx, cancel := context.WithCancel(ctx)
	timer := time.AfterFunc(r.opts.CallTimeout, cancel)
	body, err := r.cli.ContainerLogs(streamCtx, id, opts)
	if !timer.Stop() && err != nil {
		err = fmt.Errorf("%w (%w)", context.DeadlineExceeded, err)
	}
	if err != nil {
		cancel()
		return nil, r.wrap("follow logs of", id, err)
	}
	return &logReader{body: body, br: bufio.NewReaderSize(body, 64<<10), cancel: cancel}, nil
}

// logReader demultiplexes the engine's log stream (the stdcopy format:
// an 8-byte header with the stream and the size, then the frame), one
// frame per log message, each starting with its RFC 3339 timestamp.
type logReader struct {
	body   io.ReadCloser
	br     *bufio.Reader
	cancel context.CancelFunc
	hdr    [8]byte

	// The frame being read, when it is longer than maxChunk.
	left   int
	stderr bool
	at     time.Time
}

func (l *logReader) Next() (runtime.LogEntry, error) {
	first := l.left == 0
	if first {
		if err := l.header(); err != nil {
			return runtime.LogEntry{}, err
		}
	}
	n := min(l.left, maxChunk)
	buf := make([]byte, n)
	if _, err := io.ReadFull(l.br, buf); err != nil {
		return runtime.LogEntry{}, unexpected(err)
	}
	l.left -= n
	if first {
		l.at, buf = splitTimestamp(buf)
	}
	text, ended := bytes.CutSuffix(buf, []byte("\n"))
	return runtime.LogEntry{Time: l.at, Stderr: l.stderr, Text: string(text), Partial: l.left > 0 || !ended}, nil
}

// header reads the next frame header; io.EOF means the stream ended
// cleanly between frames.
func (l *logReader) header() error {
	for {
		if _, err := io.ReadFull(l.br, l.hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return io.EOF
			}
			return unexpected(err)
		}
		l.left = int(binary.BigEndian.Uint32(l.hdr[4:]))
		switch stdcopy.StdType(l.hdr[0]) {
		case stdcopy.Stdin, stdcopy.Stdout:
			l.stderr = false
		case stdcopy.Stderr:
			l.stderr = true
		case stdcopy.Systemerr:
			msg := make([]byte, min(l.left, 4096))
			_, _ = io.ReadFull(l.br, msg)
			return fmt.Errorf("error from the engine in the log stream: %s", oneLine(string(msg)))
		default:
			return fmt.Errorf("log stream: unknown stream type %d", l.hdr[0])
		}
		if l.left > 0 {
			return nil
		}
	}
}

// splitTimestamp takes the engine's "2006-01-02T15:04:05.000000000Z "
// prefix off a frame; without one the entry has no time.
func splitTimestamp(frame []byte) (time.Time, []byte) {
	ts, rest, ok := bytes.Cut(frame, []byte(" "))
	if !ok {
		ts, rest = frame, nil // an empty message: just the timestamp
	}
	at, err := time.Parse(time.RFC3339Nano, string(bytes.TrimSuffix(ts, []byte("\n"))))
	if err != nil {
		return time.Time{}, frame
	}
	return at, rest
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

func (l *logReader) Buffered() bool { return l.left > 0 || l.br.Buffered() > 0 }

func (l *logReader) Close() error {
	l.cancel()
	return l.body.Close()
}
