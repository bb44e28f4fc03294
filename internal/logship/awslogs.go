package logship

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/smithy-go"
)

// The awslogs options ECS passes to the driver.
const (
	optGroup        = "awslogs-group"
	optRegion       = "awslogs-region"
	optStreamPrefix = "awslogs-stream-prefix"
	optCreateGroup  = "awslogs-create-group"
)

// Awslogs is a container's awslogs logConfiguration.
type Awslogs struct {
	Region       string
	Group        string
	StreamPrefix string
	CreateGroup  bool
	container    string
	taskID       string
}

// ParseAwslogs reads the awslogs options of a container of a task.
// awslogs-region defaults to the task's region. A bad option is refused
// with the driver's message, as Fargate does when the task starts.
func ParseAwslogs(options map[string]string, taskRegion, container, taskID string) (Awslogs, error) {
	a := Awslogs{
		Region: options[optRegion], Group: options[optGroup], StreamPrefix: options[optStreamPrefix],
		container: container, taskID: taskID,
	}
	if a.Region == "" {
		a.Region = taskRegion
	}
	if a.Group == "" {
		return a, loggerArgsError(fmt.Sprintf("must specify a value for log opt '%s'", optGroup))
	}
	if v, ok := options[optCreateGroup]; ok && v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return a, loggerArgsError(fmt.Sprintf("must specify valid value for log opt '%s': %v", optCreateGroup, err))
		}
		a.CreateGroup = b
	}
	return a, nil
}

// Destination is where one container's output goes.
type Destination struct {
	Region, Group, Stream string
}

// Destination names the container's stream as ECS does:
// prefix/container-name/task-id, or, without a prefix, the container's
// engine ID (EC2's naming; Fargate refuses task definitions without one).
func (a Awslogs) Destination(containerID string) Destination {
	stream := containerID
	if a.StreamPrefix != "" {
		stream = a.StreamPrefix + "/" + a.container + "/" + a.taskID
	}
	return Destination{Region: a.Region, Group: a.Group, Stream: stream}
}

// loggerArgsError is the stoppedReason of a task whose log driver could
// not start. Fargate (platform 1.4) words a missing group as
//
//	ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1
//
// (quoted in github.com/airbnb/ottr/issues/7 and many deployment guides).
func loggerArgsError(detail string) error {
	return errors.New("ResourceInitializationError: failed to validate logger args: " + detail + " : exit status 1")
}

// createError words a failed CloudWatch call of the driver's setup.
func createError(what string, err error) error {
	msg := err.Error()
	var ae smithy.APIError
	if errors.As(err, &ae) {
		msg = ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return loggerArgsError("create stream has been retried 1 times: failed to create Cloudwatch " + what + ": " + msg)
}
