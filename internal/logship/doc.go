// Package logship is the awslogs log driver: it follows the output of task
// containers in the engine and ships it, line by line with the engine's
// timestamps, to CloudWatch Logs in process.
//
// One follower per container reads the engine's log stream from the
// container's start to its exit and reads once more after the exit, so
// that no line is lost when the engine ends a follow early. Docker splits
// lines longer than 16 KiB; the follower joins the pieces again, and
// splits lines longer than CloudWatch's largest event (256 KiB less 26
// bytes) into several events, as ECS's awslogs driver does. A broken
// stream is re-attached from the last entry read, skipping the entries
// already read, so nothing is shipped twice.
//
// Memory is bounded per container: at most one unfinished line per output
// stream (MaxEventBytes each), one batch of at most 1 MiB of messages or
// 10,000 events (PutLogEvents' limits) and the reader's 64 KiB buffer:
// under 2 MiB. What is kept once shipped is bounded by the Logs store.
package logship
