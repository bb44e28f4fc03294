package main

import (
	"bufio"
	"strings"
	"testing"
	"time"
)

func TestPrintLines(t *testing.T) {
	for _, tc := range []struct {
		name         string
		o            printOptions
		lines        []string
		stdout, errs string
		pauses       int
	}{
		{"plain", printOptions{rounds: 1}, []string{"a", "2>b", "c"}, "a\nc\n", "b\n", 0},
		{"rounds", printOptions{rounds: 2, every: time.Second}, []string{"line {n}", "2>ERROR {n}"}, "line 1\nline 2\n", "ERROR 1\nERROR 2\n", 3},
		{"partial", printOptions{rounds: 1, partial: true}, []string{"a", "last"}, "a\nlast", "", 0},
		{"size", printOptions{rounds: 1, size: 5}, []string{"ab", "abcdefg"}, "abxxx\nabcdefg\n", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut strings.Builder
			pauses := 0
			printLines(tc.o, tc.lines, bufio.NewWriter(&out), bufio.NewWriter(&errOut), func(d time.Duration) {
				if d != tc.o.every {
					t.Errorf("paused %v, want %v", d, tc.o.every)
				}
				pauses++
			})
			if out.String() != tc.stdout || errOut.String() != tc.errs || pauses != tc.pauses {
				t.Errorf("stdout %q stderr %q pauses %d; want %q %q %d", out.String(), errOut.String(), pauses, tc.stdout, tc.errs, tc.pauses)
			}
		})
	}
	if code := cmdPrint([]string{"-n", "-1"}); code != exitUsage {
		t.Errorf("print -n -1 exited %d, want %d", code, exitUsage)
	}
}
