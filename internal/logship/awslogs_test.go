package logship

import (
	"testing"
)

func TestParseAwslogs(t *testing.T) {
	a, err := ParseAwslogs(map[string]string{"awslogs-group": "/ecs/web", "awslogs-stream-prefix": "ecs", "awslogs-create-group": "true"}, "eu-west-1", "web", "0123abcd")
	if err != nil || a.Region != "eu-west-1" || !a.CreateGroup {
		t.Fatalf("ParseAwslogs = %+v, %v", a, err)
	}
	if d := a.Destination("c0ffee"); d != (Destination{Region: "eu-west-1", Group: "/ecs/web", Stream: "ecs/web/0123abcd"}) {
		t.Errorf("Destination = %+v", d)
	}
	a, _ = ParseAwslogs(map[string]string{"awslogs-group": "g", "awslogs-region": "us-west-2"}, "eu-west-1", "web", "0123abcd")
	if d := a.Destination("c0ffee"); d.Stream != "c0ffee" || d.Region != "us-west-2" || a.CreateGroup {
		t.Errorf("without a prefix: %+v %+v", a, d)
	}
	for opts, want := range map[*map[string]string]string{
		{"awslogs-region": "us-east-1"}:                       "ResourceInitializationError: failed to validate logger args: must specify a value for log opt 'awslogs-group' : exit status 1",
		{"awslogs-group": "g", "awslogs-create-group": "yes"}: `ResourceInitializationError: failed to validate logger args: must specify valid value for log opt 'awslogs-create-group': strconv.ParseBool: parsing "yes": invalid syntax : exit status 1`,
	} {
		if _, err := ParseAwslogs(*opts, "us-east-1", "web", "t"); err == nil || err.Error() != want {
			t.Errorf("ParseAwslogs(%v) = %v, want %s", *opts, err, want)
		}
	}
}

func TestPrepare(t *testing.T) {
	sink := newSink()
	s := New(newFakeEngine(), sink, Options{})
	missing := Awslogs{Region: "us-east-1", Group: "/ecs/missing"}
	const want = "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1"
	if err := s.Prepare(missing); err == nil || err.Error() != want {
		t.Errorf("Prepare without the group = %v\nwant %s", err, want)
	}
	if sink.GroupExists("us-east-1", "/ecs/missing") {
		t.Error("Prepare created a group it was not asked to")
	}
	created := Awslogs{Region: "us-east-1", Group: "/ecs/created", CreateGroup: true}
	for range 2 { // the second finds it
		if err := s.Prepare(created); err != nil {
			t.Fatal(err)
		}
	}
	if !sink.GroupExists("us-east-1", "/ecs/created") {
		t.Error("awslogs-create-group did not create the group")
	}
	bad := Awslogs{Region: "us-east-1", Group: "bad group name!", CreateGroup: true}
	if err := s.Prepare(bad); err == nil {
		t.Error("Prepare created a group with a bad name")
	} else {
		t.Log(err)
	}
}

// Ship creates the container's stream, and fails as ECS does when it
// cannot (the group was deleted after the task started, say).
func TestShipCreatesTheStream(t *testing.T) {
	eng := newFakeEngine()
	s, sink, _ := started(t, eng)
	if _, err := s.Ship("c1", dest); err != nil {
		t.Fatal(err)
	}
	if err := sink.API.Append(dest.Region, dest.Group, dest.Stream, nil); err != nil {
		t.Fatalf("the stream is not there: %v", err)
	}
	_, err := s.Ship("c2", Destination{Region: "us-east-1", Group: "/ecs/none", Stream: "s"})
	const want = "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1"
	if err == nil || err.Error() != want {
		t.Errorf("Ship to a missing group = %v", err)
	}
	eng.exit()
}
