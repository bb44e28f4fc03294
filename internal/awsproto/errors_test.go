package awsproto

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/aws/smithy-go"
)

func TestWriteJSONError(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		naming     Naming
		status     StatusFunc
		wantStatus int
		wantCode   string
		wantBody   string
	}{
		{
			"ECS modeled error", &ecstypes.ClusterNotFoundException{Message: aws.String("Cluster not found.")}, LowerFirst, DefaultStatus,
			400, "ClusterNotFoundException", `{"__type":"ClusterNotFoundException","message":"Cluster not found."}`,
		},
		{
			"wrapped error keeps its members", fmt.Errorf("create: %w", &ecstypes.ConflictException{Message: aws.String("busy"), ResourceIds: []string{"a"}}), LowerFirst, nil,
			400, "ConflictException", `{"__type":"ConflictException","message":"busy","resourceIds":["a"]}`,
		},
		{
			"error code override wins", &ecstypes.ServerException{Message: aws.String("m"), ErrorCodeOverride: aws.String("Custom")}, LowerFirst, DefaultStatus,
			500, "Custom", `{"__type":"Custom","message":"m"}`,
		},
		{
			"Cloud Map extra members and Message casing",
			&sdtypes.NamespaceAlreadyExists{Message: aws.String("exists"), CreatorRequestId: aws.String("r"), NamespaceId: aws.String("ns-1")}, AsIs, CloudMapStatus,
			400, "NamespaceAlreadyExists", `{"__type":"NamespaceAlreadyExists","Message":"exists","CreatorRequestId":"r","NamespaceId":"ns-1"}`,
		},
		{
			"Cloud Map not found is 404", &sdtypes.ServiceNotFound{Message: aws.String("no")}, AsIs, CloudMapStatus,
			404, "ServiceNotFound", `{"__type":"ServiceNotFound","Message":"no"}`,
		},
		{
			"Cloud Map throttling is 429", &sdtypes.RequestLimitExceeded{}, AsIs, CloudMapStatus,
			429, "RequestLimitExceeded", `{"__type":"RequestLimitExceeded"}`,
		},
		{
			"Cloud Map resource in use is 409", &sdtypes.ResourceInUse{Message: aws.String("in use")}, AsIs, CloudMapStatus,
			409, "ResourceInUse", `{"__type":"ResourceInUse","Message":"in use"}`,
		},
		{
			"serialization error", &SerializationError{Message: "expected string at 'cluster'"}, LowerFirst, DefaultStatus,
			400, "SerializationException", `{"__type":"SerializationException","message":"expected string at 'cluster'"}`,
		},
		{
			"unknown operation, Cloud Map casing", UnknownOperation("Frobnicate"), AsIs, CloudMapStatus,
			400, "UnknownOperationException", `{"__type":"UnknownOperationException","Message":"Operation \"Frobnicate\" is not supported."}`,
		},
		{
			"plain error is an internal failure", errors.New("secret detail"), LowerFirst, DefaultStatus,
			500, "InternalFailure", `{"__type":"InternalFailure","message":"The request processing has failed because of an unknown error, exception or failure."}`,
		},
		{
			"generic API error", &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "no"}, LowerFirst, DefaultStatus,
			400, "AccessDeniedException", `{"__type":"AccessDeniedException","message":"no"}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			WriteJSONError(rec, "req-1", tc.err, tc.naming, tc.status)
			if rec.Code != tc.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tc.wantStatus)
			}
			assertJSONHeaders(t, rec, "req-1")
			if got := rec.Header().Get("X-Amzn-ErrorType"); got != tc.wantCode {
				t.Errorf("X-Amzn-ErrorType = %q, want %q", got, tc.wantCode)
			}
			if got := rec.Body.String(); got != tc.wantBody {
				t.Errorf("body = %s\nwant   %s", got, tc.wantBody)
			}
		})
	}
}

func assertJSONHeaders(t *testing.T, rec *httptest.ResponseRecorder, requestID string) {
	t.Helper()
	if got := rec.Header().Get("Content-Type"); got != "application/x-amz-json-1.1" {
		t.Errorf("Content-Type = %q", got)
	}
	if got := rec.Header().Get("x-amzn-RequestId"); got != requestID {
		t.Errorf("x-amzn-RequestId = %q, want %q", got, requestID)
	}
}

func TestWriteJSON(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"nil output", nil, `{}`},
		{"empty output", &ecs.DeleteAttributesOutput{}, `{}`},
		{"output", &ecs.ListClustersOutput{ClusterArns: []string{"a"}}, `{"clusterArns":["a"]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if err := WriteJSON(rec, "req-2", tc.v, LowerFirst); err != nil {
				t.Fatal(err)
			}
			if rec.Code != http.StatusOK {
				t.Errorf("status = %d", rec.Code)
			}
			assertJSONHeaders(t, rec, "req-2")
			if got := rec.Body.String(); got != tc.want {
				t.Errorf("body = %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("unencodable output", func(t *testing.T) {
		rec := httptest.NewRecorder()
		if err := WriteJSON(rec, "req-3", struct{ C chan int }{}, LowerFirst); err != nil {
			t.Fatalf("channels are skipped, got %v", err)
		}
		rec = httptest.NewRecorder()
		if err := WriteJSON(rec, "req-3", map[int]string{1: "x"}, LowerFirst); err == nil || rec.Code != 500 {
			t.Errorf("err = %v, status = %d; want an error and 500", err, rec.Code)
		}
	})
}

func TestDefaultStatus(t *testing.T) {
	tests := []struct {
		fault smithy.ErrorFault
		want  int
	}{
		{smithy.FaultClient, 400},
		{smithy.FaultServer, 500},
		{smithy.FaultUnknown, 400},
	}
	for _, tc := range tests {
		t.Run(tc.fault.String(), func(t *testing.T) {
			if got := DefaultStatus("X", tc.fault); got != tc.want {
				t.Errorf("DefaultStatus = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestNewRequestID(t *testing.T) {
	uuidV4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 100 {
		id := NewRequestID()
		if !uuidV4.MatchString(id) {
			t.Fatalf("%q is not a UUID v4", id)
		}
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
	}
}
