// Package logs implements Amazon CloudWatch Logs (awsJson1_1, X-Amz-Target
// prefix Logs_20140328) on an in-memory store per account and region: log
// groups with retention, tags and classes, log streams, PutLogEvents,
// GetLogEvents with forward and backward tokens, and FilterLogEvents with
// CloudWatch's filter pattern syntax (see pattern.go). `aws logs tail
// --follow` works: it polls FilterLogEvents with a moving startTime and
// drops events whose eventId it has seen, and event IDs here are stable.
//
// Memory is bounded. Each stream keeps at most Options.MaxEventsPerStream
// events (default 10,000) and Options.MaxBytesPerStream bytes of messages
// (default 8 MiB); when an append would exceed either, the oldest events
// (by timestamp) are dropped first, as if their retention had passed. A
// region holds at most Options.MaxGroups log groups (default 1,000) and
// Options.MaxStreams log streams over all its groups (default 10,000);
// creating more fails with LimitExceededException. The worst case is thus
// MaxStreams × MaxBytesPerStream; lower the options where that matters.
// Events older than a group's retention are hidden from reads and pruned
// on the next write to their stream.
//
// Besides the wire API it offers the rest of the emulator in-process calls
// (direct.go): CreateGroup, DeleteGroup, GroupExists, EnsureStream and
// Append, for the awslogs log driver and CloudFormation's
// AWS::Logs::LogGroup.
package logs
