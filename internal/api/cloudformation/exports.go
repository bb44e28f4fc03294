package cloudformation

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// ListExports lists the region's exports by name.
func (a *API) ListExports(ctx context.Context, in *cloudformation.ListExportsInput) (*cloudformation.ListExportsOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	names := make([]string, 0, len(st.exports))
	for n := range st.exports {
		names = append(names, n)
	}
	sort.Strings(names)
	all := make([]types.Export, len(names))
	for i, n := range names {
		e := st.exports[n]
		all[i] = types.Export{Name: ptr(n), Value: ptr(e.value), ExportingStackId: ptr(e.stackID)}
	}
	st.mu.Unlock()
	pg, next, err := page(all, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &cloudformation.ListExportsOutput{Exports: pg, NextToken: next}, nil
}

// ListImports lists the stacks importing an export.
func (a *API) ListImports(ctx context.Context, in *cloudformation.ListImportsInput) (*cloudformation.ListImportsOutput, error) {
	st := a.store(ctx)
	st.mu.Lock()
	name := deref(in.ExportName)
	var users []string
	if _, ok := st.exports[name]; ok {
		users = st.importers(name, nil)
	}
	st.mu.Unlock()
	if len(users) == 0 {
		return nil, errValidation("Export '%s' is not imported by any stack.", name)
	}
	pg, next, err := page(users, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &cloudformation.ListImportsOutput{Imports: pg, NextToken: next}, nil
}
