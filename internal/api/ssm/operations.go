package ssm

// operations maps each implemented Parameter Store operation to its
// handler. Every other SSM operation gets UnknownOperationException.
func operations() map[string]handler {
	return map[string]handler{
		"PutParameter":            op((*Store).PutParameter),
		"GetParameter":            op((*Store).GetParameter),
		"GetParameters":           op((*Store).GetParameters),
		"GetParametersByPath":     op((*Store).GetParametersByPath),
		"DeleteParameter":         op((*Store).DeleteParameter),
		"DeleteParameters":        op((*Store).DeleteParameters),
		"DescribeParameters":      op((*Store).DescribeParameters),
		"GetParameterHistory":     op((*Store).GetParameterHistory),
		"LabelParameterVersion":   op((*Store).LabelParameterVersion),
		"UnlabelParameterVersion": op((*Store).UnlabelParameterVersion),
		"AddTagsToResource":       op((*Store).AddTagsToResource),
		"ListTagsForResource":     op((*Store).ListTagsForResource),
		"RemoveTagsFromResource":  op((*Store).RemoveTagsFromResource),
	}
}
