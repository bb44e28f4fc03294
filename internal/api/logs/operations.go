package logs

// operations maps each implemented CloudWatch Logs operation to its
// handler. Every other Logs operation gets UnknownOperationException.
func operations() map[string]handler {
	return map[string]handler{
		"CreateLogGroup":        op((*Store).CreateLogGroup),
		"DeleteLogGroup":        op((*Store).DeleteLogGroup),
		"DescribeLogGroups":     op((*Store).DescribeLogGroups),
		"PutRetentionPolicy":    op((*Store).PutRetentionPolicy),
		"DeleteRetentionPolicy": op((*Store).DeleteRetentionPolicy),
		"CreateLogStream":       op((*Store).CreateLogStream),
		"DeleteLogStream":       op((*Store).DeleteLogStream),
		"DescribeLogStreams":    op((*Store).DescribeLogStreams),
		"PutLogEvents":          op((*Store).PutLogEvents),
		"GetLogEvents":          op((*Store).GetLogEvents),
		"FilterLogEvents":       op((*Store).FilterLogEvents),
		"TagResource":           op((*Store).TagResource),
		"UntagResource":         op((*Store).UntagResource),
		"ListTagsForResource":   op((*Store).ListTagsForResource),
		"TagLogGroup":           op((*Store).TagLogGroup),
		"UntagLogGroup":         op((*Store).UntagLogGroup),
		"ListTagsLogGroup":      op((*Store).ListTagsLogGroup),
	}
}
