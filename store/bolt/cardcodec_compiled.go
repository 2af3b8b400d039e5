package bolt

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"sync"
	"time"
	"unsafe"
)

// The projection's decoder, compiled: for each type of app.Exam a function that decodes into
// memory of that type through field offsets, built once, instead of walking reflect.Values
// for every field of every card (the reflective decoder.value costs about three times as
// much). It reads the very form encodeValue writes; decoder.value stays the reference (the
// tests decode with both) and decodes what the compiled one leaves to it (maps other than
// names by code).

// decOp decodes one value of its type into the memory at p.
type decOp func(d *decoder, p unsafe.Pointer)

var (
	examDecOnce sync.Once
	examDecOp   decOp
)

// exam decodes an exam into e (an *app.Exam) with the compiled decoder.
func (d *decoder) exam(e unsafe.Pointer) {
	examDecOnce.Do(func() { examDecOp = compileDec(examType, map[reflect.Type]*decOp{}) })
	examDecOp(d, e)
}

// sliceHeader is the memory layout of a Go slice.
type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

func compileDec(t reflect.Type, seen map[reflect.Type]*decOp) decOp {
	if op, ok := seen[t]; ok { // a recursive type: decode through the slot filled below
		return func(d *decoder, p unsafe.Pointer) { (*op)(d, p) }
	}
	slot := new(decOp)
	seen[t] = slot
	op := compileDecKind(t, seen)
	*slot = op
	return op
}

func compileDecKind(t reflect.Type, seen map[reflect.Type]*decOp) decOp {
	switch t.Kind() {
	case reflect.Bool:
		return func(d *decoder, p unsafe.Pointer) { *(*bool)(p) = d.byte1() == 1 }
	case reflect.Int:
		return func(d *decoder, p unsafe.Pointer) { *(*int)(p) = int(d.varint()) }
	case reflect.Int8:
		return func(d *decoder, p unsafe.Pointer) { *(*int8)(p) = int8(d.varint()) }
	case reflect.Int16:
		return func(d *decoder, p unsafe.Pointer) { *(*int16)(p) = int16(d.varint()) }
	case reflect.Int32:
		return func(d *decoder, p unsafe.Pointer) { *(*int32)(p) = int32(d.varint()) }
	case reflect.Int64:
		return func(d *decoder, p unsafe.Pointer) { *(*int64)(p) = d.varint() }
	case reflect.Uint:
		return func(d *decoder, p unsafe.Pointer) { *(*uint)(p) = uint(d.uvarint()) }
	case reflect.Uint8:
		return func(d *decoder, p unsafe.Pointer) { *(*uint8)(p) = uint8(d.uvarint()) }
	case reflect.Uint16:
		return func(d *decoder, p unsafe.Pointer) { *(*uint16)(p) = uint16(d.uvarint()) }
	case reflect.Uint32:
		return func(d *decoder, p unsafe.Pointer) { *(*uint32)(p) = uint32(d.uvarint()) }
	case reflect.Uint64:
		return func(d *decoder, p unsafe.Pointer) { *(*uint64)(p) = d.uvarint() }
	case reflect.Float32:
		return func(d *decoder, p unsafe.Pointer) { *(*float32)(p) = float32(d.float()) }
	case reflect.Float64:
		return func(d *decoder, p unsafe.Pointer) { *(*float64)(p) = d.float() }
	case reflect.String:
		return func(d *decoder, p unsafe.Pointer) { *(*string)(p) = d.str() }
	case reflect.Slice:
		et := t.Elem()
		elem, size := compileDec(et, seen), et.Size()
		return func(d *decoder, p unsafe.Pointer) {
			n := d.uvarint()
			if n == 0 || d.err != nil {
				return
			}
			n--
			if n > uint64(len(d.b)) {
				d.fail()
				return
			}
			s := reflect.MakeSlice(t, int(n), int(n))
			data := s.UnsafePointer()
			for i := range uintptr(n) {
				elem(d, unsafe.Add(data, i*size))
			}
			*(*sliceHeader)(p) = sliceHeader{data: data, len: int(n), cap: int(n)}
		}
	case reflect.Map:
		return func(d *decoder, p unsafe.Pointer) { d.value(reflect.NewAt(t, p).Elem()) }
	case reflect.Pointer:
		et := t.Elem()
		if et == float64Type {
			return func(d *decoder, p unsafe.Pointer) {
				if d.byte1() == 0 {
					return
				}
				if len(d.b) < 8 {
					d.fail()
					return
				}
				if len(d.floats) == 0 {
					d.floats = make([]float64, 128)
				}
				f := &d.floats[0]
				d.floats = d.floats[1:]
				*f = d.float()
				*(**float64)(p) = f
			}
		}
		elem := compileDec(et, seen)
		return func(d *decoder, p unsafe.Pointer) {
			if d.byte1() == 0 {
				return
			}
			v := reflect.New(et).UnsafePointer()
			elem(d, v)
			*(*unsafe.Pointer)(p) = v
		}
	case reflect.Struct:
		if t == timeType {
			return func(d *decoder, p unsafe.Pointer) {
				if d.byte1() == 0 {
					return
				}
				sec, nsec, off := d.varint(), d.uvarint(), d.varint()
				*(*time.Time)(p) = d.time(sec, int64(nsec), int(off))
			}
		}
		type field struct {
			off uintptr
			op  decOp
		}
		var fields []field
		for _, i := range exportedFields(t) {
			f := t.Field(i)
			fields = append(fields, field{f.Offset, compileDec(f.Type, seen)})
		}
		return func(d *decoder, p unsafe.Pointer) {
			for _, f := range fields {
				if d.err != nil {
					return
				}
				f.op(d, unsafe.Add(p, f.off))
			}
		}
	}
	return func(d *decoder, _ unsafe.Pointer) {
		if d.err == nil {
			d.err = fmt.Errorf("card projection: cannot decode %s", t)
		}
	}
}

func (d *decoder) float() float64 {
	if len(d.b) < 8 {
		d.fail()
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
	d.b = d.b[8:]
	return f
}

// time returns the instant in the location localAt gives, remembering the zone of time.Local
// it fell in (the times of one exam fall in one) and the last fixed zone.
func (d *decoder) time(sec, nsec int64, off int) time.Time {
	t := time.Unix(sec, nsec)
	z := &d.zone
	if !z.known || t.Before(z.start) || (!z.end.IsZero() && !t.Before(z.end)) {
		lt := t.In(time.Local)
		_, z.localOff = lt.Zone()
		z.start, z.end = lt.ZoneBounds()
		z.known = true
	}
	switch {
	case off == z.localOff:
		return t.In(time.Local)
	case off == 0:
		return t.In(time.UTC)
	}
	if z.fixed == nil || z.fixedOff != off {
		z.fixed, z.fixedOff = time.FixedZone("", off), off
	}
	return t.In(z.fixed)
}
