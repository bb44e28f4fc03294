package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"
)

// cmdPoll GETs a URL count times, interval apart, as a client of another
// service does, and prints a JSON summary: how many answers were 2xx, how
// many failed (and the first few errors), and how many came from each
// "name" the test app's GET / reports. It exits 1 if any request failed.
func cmdPoll(args []string) int {
	if len(args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: testapp poll <url> <count> <interval>")
		return exitUsage
	}
	count, err := strconv.Atoi(args[1])
	interval, derr := parseDuration(args[2])
	if err != nil || count < 1 || derr != nil {
		fmt.Fprintln(os.Stderr, "testapp poll: want a positive count and a duration")
		return exitUsage
	}
	sum := struct {
		OK     int            `json:"ok"`
		Failed int            `json:"failed"`
		Names  map[string]int `json:"names"`
		Errors []string       `json:"errors,omitempty"`
	}{Names: map[string]int{}}
	for i := range count {
		if i > 0 {
			time.Sleep(interval)
		}
		code, body, err := httpGet(args[0], 10*time.Second)
		if err == nil && !is2xx(code) {
			err = fmt.Errorf("status %d", code)
		}
		if err != nil {
			sum.Failed++
			if len(sum.Errors) < 5 {
				sum.Errors = append(sum.Errors, err.Error())
			}
			continue
		}
		sum.OK++
		var doc struct{ Name string }
		if json.Unmarshal(body, &doc) == nil {
			sum.Names[doc.Name]++
		}
	}
	b, _ := json.Marshal(sum)
	fmt.Println(string(b))
	if sum.Failed > 0 {
		return 1
	}
	return 0
}
