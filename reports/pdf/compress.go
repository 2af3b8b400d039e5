package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strconv"
)

// gopdf deflates every page's content stream with a new zlib writer, whose tables (some
// 600 KB) are allocated and cleared per page: in a batch of a thousand reports that costs as
// much as the compression itself. The renderer therefore has gopdf write content streams
// uncompressed and compressStreams deflates them afterwards with one writer, reset per
// stream. The ToUnicode maps, written the same way, are compressed too.

// plainStream is the dictionary gopdf writes before an uncompressed stream.
var plainStream = []byte("<<\n/Length ")

// compressStreams deflates, at level, every stream of b whose dictionary is exactly
// "<<\n/Length N\n>>\n", and rewrites the cross-reference table.
func compressStreams(b []byte, level int) ([]byte, error) {
	x := bytes.LastIndex(b, []byte("\nxref\n"))
	if x < 0 {
		return nil, fmt.Errorf("no cross-reference table")
	}
	x++
	tr := bytes.Index(b[x:], []byte("trailer\n"))
	sx := bytes.LastIndex(b, []byte("startxref\n"))
	if tr < 0 || sx < x+tr {
		return nil, fmt.Errorf("no trailer")
	}
	lines := bytes.Split(b[x:x+tr], []byte("\n"))
	if len(lines) < 3 {
		return nil, fmt.Errorf("short cross-reference table")
	}
	var offs []int
	for _, l := range lines[3:] {
		if len(l) < 10 {
			continue
		}
		off, err := strconv.Atoi(string(l[:10]))
		if err != nil {
			return nil, fmt.Errorf("cross-reference entry %q", l)
		}
		offs = append(offs, off)
	}
	if len(offs) == 0 {
		return b, nil
	}
	out := bytes.NewBuffer(make([]byte, 0, len(b)/4))
	out.Write(b[:offs[0]])
	var z bytes.Buffer
	zw, err := zlib.NewWriterLevel(&z, level)
	if err != nil {
		return nil, err
	}
	newOffs := make([]int, len(offs))
	for i, off := range offs {
		end := x
		if i+1 < len(offs) {
			end = offs[i+1]
		}
		if off > end || end > len(b) {
			return nil, fmt.Errorf("object %d out of order", i+1)
		}
		newOffs[i] = out.Len()
		seg := b[off:end]
		h := bytes.IndexByte(seg, '\n') + 1 // "N 0 obj\n"
		body := seg[h:]
		if !bytes.HasPrefix(body, plainStream) {
			out.Write(seg)
			continue
		}
		nl := bytes.IndexByte(body[len(plainStream):], '\n')
		if nl < 0 {
			out.Write(seg)
			continue
		}
		n, err := strconv.Atoi(string(body[len(plainStream) : len(plainStream)+nl]))
		rest := body[len(plainStream)+nl:]
		if err != nil || !bytes.HasPrefix(rest, []byte("\n>>\nstream\n")) || len(rest) < 11+n {
			out.Write(seg)
			continue
		}
		data := rest[11 : 11+n]
		z.Reset()
		zw.Reset(&z)
		if _, err := zw.Write(data); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		out.Write(seg[:h])
		fmt.Fprintf(out, "<<\n/Filter/FlateDecode/Length %d\n>>\nstream\n", z.Len())
		out.Write(z.Bytes())
		out.Write(rest[11+n:])
	}
	xref := out.Len()
	fmt.Fprintf(out, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range newOffs {
		fmt.Fprintf(out, "%010d 00000 n \n", o)
	}
	out.Write(b[x+tr : sx])
	fmt.Fprintf(out, "startxref\n%d\n%%%%EOF\n", xref)
	return out.Bytes(), nil
}
