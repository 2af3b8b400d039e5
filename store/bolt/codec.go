package bolt

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
)

// Record encodings. The first byte of every stored record names its encoding, so that an
// encrypted encoding can be added without migrating old records.
const (
	codecJSONv1 byte = 1
)

// encode returns the canonical stored form of v: the codec byte and v's JSON. The same bytes
// are hashed for the audit log.
func encode(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return append([]byte{codecJSONv1}, b...), nil
}

// decode reads a stored record into v.
func decode(b []byte, v any) error {
	if len(b) == 0 {
		return fmt.Errorf("decode: empty record")
	}
	switch b[0] {
	case codecJSONv1:
		return json.Unmarshal(b[1:], v)
	}
	return fmt.Errorf("decode: unknown record encoding %d", b[0])
}

// itob returns an 8-byte big-endian key.
func itob(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func btoi(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// compositeKey joins a text part and an ID: text, 0x00, 8-byte ID. Prefix scans on the text
// part find every ID under it, in text order.
func compositeKey(text string, id uint64) []byte {
	k := make([]byte, 0, len(text)+9)
	k = append(k, text...)
	k = append(k, 0)
	return append(k, itob(id)...)
}

// idOfComposite returns the ID at the end of a composite key.
func idOfComposite(k []byte) uint64 { return btoi(k[len(k)-8:]) }
