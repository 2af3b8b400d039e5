package remote

import (
	"encoding/binary"
	"fmt"
)

// Bulk replies: a read whose result carries large byte fields (100,000 sealed case cards:
// 360 MB of deflated documents) sends them beside the JSON envelope, raw, instead of as base64
// inside it. A client asks for it with hdrBulk; the server then answers with hdrBulkEnvelope
// (the envelope's length) and, after the envelope, each part as a uvarint length and its
// bytes. A server that does not know the header answers in JSON, and the client reads that as
// before.

const (
	hdrBulk         = "X-Occhealth-Bulk"          // "1": the client reads bulk replies
	hdrBulkEnvelope = "X-Occhealth-Bulk-Envelope" // the envelope's length in a bulk reply
)

// bulkCarrier is a result whose byte fields can travel beside the envelope.
type bulkCarrier interface {
	// takeBulk moves the byte fields out of the result (they are left nil), in a fixed order.
	takeBulk() [][]byte
	// giveBulk puts them back in the same order.
	giveBulk(parts [][]byte) error
}

func (r *cardsExportItemsResults) takeBulk() [][]byte {
	if r.R0 == nil {
		return nil
	}
	var parts [][]byte
	for _, it := range r.R0.Items {
		if s := it.Seal; s != nil {
			parts = append(parts, s.Parties, s.Deflated)
			s.Parties, s.Deflated = nil, nil
		}
	}
	return parts
}

func (r *cardsExportItemsResults) giveBulk(parts [][]byte) error {
	if r.R0 == nil {
		if len(parts) > 0 {
			return fmt.Errorf("bulk reply: %d parts for no result", len(parts))
		}
		return nil
	}
	i := 0
	for _, it := range r.R0.Items {
		if s := it.Seal; s != nil {
			if i+2 > len(parts) {
				return fmt.Errorf("bulk reply: %d parts, more seals", len(parts))
			}
			s.Parties, s.Deflated = parts[i], parts[i+1]
			i += 2
		}
	}
	if i != len(parts) {
		return fmt.Errorf("bulk reply: %d parts, %d used", len(parts), i)
	}
	return nil
}

// appendBulk appends the parts of a bulk reply to the envelope.
func appendBulk(b []byte, parts [][]byte) []byte {
	n := len(b)
	for _, p := range parts {
		n += len(p) + binary.MaxVarintLen64
	}
	out := make([]byte, 0, n)
	out = append(out, b...)
	for _, p := range parts {
		out = binary.AppendUvarint(out, uint64(len(p)))
		out = append(out, p...)
	}
	return out
}

// splitBulk reads the parts after the envelope; they share b's memory.
func splitBulk(b []byte) ([][]byte, error) {
	var parts [][]byte
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return nil, fmt.Errorf("bulk reply: damaged part %d", len(parts)+1)
		}
		b = b[k:]
		parts = append(parts, b[:n:n])
		b = b[n:]
	}
	return parts, nil
}
