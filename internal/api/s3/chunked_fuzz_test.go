package s3

import "testing"

// FuzzDecodeChunked: any body decodes or is refused with IncompleteBody,
// never a panic, and never yields more bytes than it was given.
func FuzzDecodeChunked(f *testing.F) {
	f.Add([]byte("b\r\nhello world\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"))
	f.Add([]byte("5;chunk-signature=aa\r\nhello\r\n0;chunk-signature=aa\r\n\r\n"))
	f.Add([]byte("ffffffffffffffff\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		body, _, err := decodeChunked(raw)
		if err == nil && len(body) > len(raw) {
			t.Fatalf("decoded %d bytes from %d", len(body), len(raw))
		}
		if err != nil && err.(*Error).Code != "IncompleteBody" {
			t.Fatalf("error %v", err)
		}
	})
}
