// Package opcoverage makes an API test package prove that it calls every
// operation the API implements through the real SDK client: an SDK
// middleware records each operation sent, and TestMain fails a complete run
// that missed one.
package opcoverage

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
)

var called sync.Map

// Record is an SDK middleware (for Options.APIOptions) noting the
// operation of every request.
func Record(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("opcoverage.Record",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			called.Store(awsmiddleware.GetOperationName(ctx), true)
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
}

// Main runs the tests and, for a complete run (no -run or -bench filter),
// fails when one of the implemented operations was never called. Use it
// as TestMain: os.Exit(opcoverage.Main(m, api.Operations())).
func Main(m *testing.M, implemented []string) int {
	flag.Parse()
	code := m.Run()
	if code != 0 || flag.Lookup("test.run").Value.String() != "" || flag.Lookup("test.bench").Value.String() != "" {
		return code
	}
	var missing []string
	for _, op := range implemented {
		if _, ok := called.Load(op); !ok {
			missing = append(missing, op)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		fmt.Fprintf(os.Stderr, "FAIL: operations never called by a test: %s\n", strings.Join(missing, ", "))
		return 1
	}
	return 0
}
