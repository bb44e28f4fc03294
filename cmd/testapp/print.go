package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// printOptions configure cmdPrint.
type printOptions struct {
	rounds  int           // print the lines this many times
	every   time.Duration // pause before each line but the first
	size    int           // pad each line with 'x' to this many bytes
	partial bool          // no newline after the very last line
}

// cmdPrint writes lines to stdout and stderr, then exits 0: the output of
// a task for log shipping tests. A line starting with "2>" goes to stderr
// (without the prefix); "{n}" in a line becomes the round number.
func cmdPrint(args []string) int {
	fs := flag.NewFlagSet("print", flag.ContinueOnError)
	var o printOptions
	fs.IntVar(&o.rounds, "n", 1, "print the lines this many times")
	fs.DurationVar(&o.every, "every", 0, "pause before each line but the first")
	fs.IntVar(&o.size, "size", 0, "pad each line with 'x' to this many bytes")
	fs.BoolVar(&o.partial, "partial", false, "no newline after the last line")
	if err := fs.Parse(args); err != nil || o.rounds < 0 || o.size < 0 {
		fmt.Fprintln(os.Stderr, "usage: testapp print [-n N] [-every D] [-size N] [-partial] LINE...")
		return exitUsage
	}
	stdout, stderr := bufio.NewWriter(os.Stdout), bufio.NewWriter(os.Stderr)
	printLines(o, fs.Args(), stdout, stderr, time.Sleep)
	return 0
}

// printLines writes each line to out, or to errOut when it starts with
// "2>", flushing after every line so that the timing is the container's.
func printLines(o printOptions, lines []string, out, errOut *bufio.Writer, sleep func(time.Duration)) {
	total := o.rounds * len(lines)
	k := 0
	for n := 1; n <= o.rounds; n++ {
		for _, line := range lines {
			if k > 0 && o.every > 0 {
				sleep(o.every)
			}
			k++
			w := out
			if rest, ok := strings.CutPrefix(line, "2>"); ok {
				w, line = errOut, rest
			}
			line = strings.ReplaceAll(line, "{n}", strconv.Itoa(n))
			if pad := o.size - len(line); pad > 0 {
				line += strings.Repeat("x", pad)
			}
			writeLine(w, line, !(o.partial && k == total))
		}
	}
}

func writeLine(w *bufio.Writer, line string, newline bool) {
	_, _ = io.WriteString(w, line)
	if newline {
		_ = w.WriteByte('\n')
	}
	_ = w.Flush()
}
