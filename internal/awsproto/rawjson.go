package awsproto

import "reflect"

// RawJSON is a member value already encoded by EncodeJSON (with the same
// Naming), which EncodeJSON writes as it is. A store that keeps the
// encoded view of a record answers a large read by copying bytes instead
// of encoding the record again; a nil RawJSON is an absent member.
type RawJSON []byte

var rawJSONType = reflect.TypeFor[RawJSON]()
