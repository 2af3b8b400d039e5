package bolt

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"

	"occhealth/app"
)

// The card projection: a released exam with its record as the cards read it, in a compact
// binary form kept in bucketCardCache (derived data, like the indexes: not audited, rebuilt
// from the exam and its record whenever missing or written by a program whose types differ).
// JSON decoding of 100,000 records costs tens of seconds; this form decodes in a fraction.
//
// A released exam never changes except its state (voided: read from the state index), later
// handovers and addenda, and bookkeeping (version, who saved). The projection keeps the first
// release only and no addenda, so it never goes stale. It also leaves out what no card
// carries (projectionOf).

// projectionOf returns the part of a released exam that the projection keeps.
func projectionOf(e *app.Exam) *app.Exam {
	p := *e
	p.Version, p.UpdatedAt, p.UpdatedBy, p.State, p.StateNote = 0, time.Time{}, "", "", ""
	// Not on a card: packages, plan notes, critical-value call-backs, returns, and of each
	// result's range the table's sources, notes and critical limits. (The adapters read the
	// exam's item groups for departments, and each result's doctor, time and range name.)
	p.PlanNotes, p.PackageIDs = nil, nil
	if e.Record != nil {
		r := *e.Record
		if len(r.Releases) > 1 {
			r.Releases = r.Releases[:1]
		}
		r.Addenda, r.CriticalCalls, r.Returns = nil, nil, nil
		if len(r.Results) > 0 {
			r.Results = make([]app.Result, len(e.Record.Results))
			for i, x := range e.Record.Results {
				g := x.Range
				x.Range = app.RefRange{ItemCode: g.ItemCode, Name: g.Name, Abbr: g.Abbr, Kind: g.Kind, Unit: g.Unit, Low: g.Low, High: g.High,
					Sex: g.Sex, Text: g.Text, Normal: g.Normal}
				r.Results[i] = x
			}
		}
		p.Record = &r
	}
	return &p
}

var (
	examType        = reflect.TypeFor[app.Exam]()
	timeType        = reflect.TypeFor[time.Time]()
	float64Type     = reflect.TypeFor[float64]()
	fingerprintOnce sync.Once
	fingerprint     []byte
	structFields    sync.Map // reflect.Type → []int (exported field indices)
)

// typeFingerprint identifies the shape of app.Exam (field names and kinds, recursively): a
// projection written by a program with other types is not read.
func typeFingerprint() []byte {
	fingerprintOnce.Do(func() {
		var sb strings.Builder
		seen := map[reflect.Type]bool{}
		var walk func(t reflect.Type)
		walk = func(t reflect.Type) {
			sb.WriteString(t.Kind().String())
			switch t.Kind() {
			case reflect.Pointer, reflect.Slice:
				sb.WriteByte('<')
				walk(t.Elem())
				sb.WriteByte('>')
			case reflect.Map:
				sb.WriteByte('<')
				walk(t.Key())
				sb.WriteByte(',')
				walk(t.Elem())
				sb.WriteByte('>')
			case reflect.Struct:
				if t == timeType {
					sb.WriteString("time")
					return
				}
				sb.WriteString(t.Name())
				if seen[t] {
					return
				}
				seen[t] = true
				sb.WriteByte('{')
				for _, i := range exportedFields(t) {
					f := t.Field(i)
					sb.WriteString(f.Name)
					sb.WriteByte(':')
					walk(f.Type)
					sb.WriteByte(';')
				}
				sb.WriteByte('}')
			}
		}
		walk(examType)
		// What projectionOf keeps is part of the form: a change of it makes old projections stale.
		sb.WriteString("|keep:v2")
		sum := sha256.Sum256([]byte(sb.String()))
		fingerprint = sum[:8]
	})
	return fingerprint
}

func exportedFields(t reflect.Type) []int {
	if v, ok := structFields.Load(t); ok {
		return v.([]int)
	}
	var idx []int
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).IsExported() {
			idx = append(idx, i)
		}
	}
	structFields.Store(t, idx)
	return idx
}

// encodeProjection writes the projection of e.
func encodeProjection(e *app.Exam) ([]byte, error) {
	b := make([]byte, 0, 4096)
	b = append(b, typeFingerprint()...)
	return encodeValue(b, reflect.ValueOf(projectionOf(e)).Elem())
}

var errStaleProjection = errors.New("card projection of other types")

// decodeProjection reads a projection; errStaleProjection when its types differ. Every string
// of the exam is a slice of one copy of the projection: one allocation instead of hundreds.
func decodeProjection(b []byte) (*app.Exam, error) { return decodeProjectionWith(b, false) }

// decodeProjectionWith decodes with the compiled decoder, or with the reflective one (the
// reference the tests compare it with).
func decodeProjectionWith(b []byte, reflective bool) (*app.Exam, error) {
	fp := typeFingerprint()
	if len(b) < len(fp) || string(b[:len(fp)]) != string(fp) {
		return nil, errStaleProjection
	}
	d := &decoder{b: b[len(fp):], whole: string(b[len(fp):])}
	e := &app.Exam{}
	if reflective {
		d.value(reflect.ValueOf(e).Elem())
	} else {
		d.exam(unsafe.Pointer(e))
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("card projection: %d bytes left over", len(d.b))
	}
	return e, nil
}

func encodeValue(b []byte, v reflect.Value) ([]byte, error) {
	var err error
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			return append(b, 1), nil
		}
		return append(b, 0), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return binary.AppendVarint(b, v.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return binary.AppendUvarint(b, v.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return binary.LittleEndian.AppendUint64(b, math.Float64bits(v.Float())), nil
	case reflect.String:
		s := v.String()
		b = binary.AppendUvarint(b, uint64(len(s)))
		return append(b, s...), nil
	case reflect.Slice:
		if v.IsNil() {
			return append(b, 0), nil
		}
		b = binary.AppendUvarint(b, uint64(v.Len())+1)
		for i := 0; i < v.Len(); i++ {
			if b, err = encodeValue(b, v.Index(i)); err != nil {
				return nil, err
			}
		}
		return b, nil
	case reflect.Map:
		if v.IsNil() {
			return append(b, 0), nil
		}
		if v.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("card projection: map key %s", v.Type().Key())
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		b = binary.AppendUvarint(b, uint64(len(keys))+1)
		for _, k := range keys {
			if b, err = encodeValue(b, k); err != nil {
				return nil, err
			}
			if b, err = encodeValue(b, v.MapIndex(k)); err != nil {
				return nil, err
			}
		}
		return b, nil
	case reflect.Pointer:
		if v.IsNil() {
			return append(b, 0), nil
		}
		return encodeValue(append(b, 1), v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			t := v.Interface().(time.Time)
			if t.IsZero() {
				return append(b, 0), nil
			}
			_, off := t.Zone()
			b = append(b, 1)
			b = binary.AppendVarint(b, t.Unix())
			b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
			return binary.AppendVarint(b, int64(off)), nil
		}
		for _, i := range exportedFields(v.Type()) {
			if b, err = encodeValue(b, v.Field(i)); err != nil {
				return nil, err
			}
		}
		return b, nil
	}
	return nil, fmt.Errorf("card projection: cannot encode %s", v.Type())
}

type decoder struct {
	b     []byte
	err   error
	whole string // the bytes being decoded, as one string that the strings slice
	// floats backs the *float64 of reference ranges (two per result): one allocation per
	// block instead of one per bound.
	floats []float64
	// zone: time.Local's zone at the last time decoded ([start, end), offset localOff) and
	// the last fixed zone made (decoder.time).
	zone struct {
		known      bool
		localOff   int
		start, end time.Time
		fixed      *time.Location
		fixedOff   int
	}
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errors.New("card projection: truncated")
	}
	d.b = nil
}

func (d *decoder) uvarint() uint64 {
	x, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return x
}

func (d *decoder) varint() int64 {
	x, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return x
}

func (d *decoder) byte1() byte {
	if len(d.b) < 1 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) str() string {
	n := d.uvarint()
	if uint64(len(d.b)) < n {
		d.fail()
		return ""
	}
	off := len(d.whole) - len(d.b)
	d.b = d.b[n:]
	return d.whole[off : off+int(n)]
}

// localAt is a location for offset off: time.Local when it has that offset then, UTC for 0,
// else a fixed zone (JSON decoding gives the same).
func localAt(t time.Time, off int) *time.Location {
	if _, lo := t.In(time.Local).Zone(); lo == off {
		return time.Local
	}
	if off == 0 {
		return time.UTC
	}
	return time.FixedZone("", off)
}

func (d *decoder) value(v reflect.Value) {
	if d.err != nil {
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(d.byte1() == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(d.varint())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(d.uvarint())
	case reflect.Float32, reflect.Float64:
		if len(d.b) < 8 {
			d.fail()
			return
		}
		v.SetFloat(math.Float64frombits(binary.LittleEndian.Uint64(d.b)))
		d.b = d.b[8:]
	case reflect.String:
		v.SetString(d.str())
	case reflect.Slice:
		n := d.uvarint()
		if n == 0 || d.err != nil {
			return
		}
		n--
		if n > uint64(len(d.b)) {
			d.fail()
			return
		}
		s := reflect.MakeSlice(v.Type(), int(n), int(n))
		for i := 0; i < int(n); i++ {
			d.value(s.Index(i))
		}
		v.Set(s)
	case reflect.Map:
		n := d.uvarint()
		if n == 0 || d.err != nil {
			return
		}
		n--
		if n > uint64(len(d.b)) {
			d.fail()
			return
		}
		kt, et := v.Type().Key(), v.Type().Elem()
		if kt.Kind() == reflect.String && et.Kind() == reflect.String {
			// Names by code (HazardNames, ItemNames …): no reflection per entry.
			m := make(map[string]string, n)
			for i := 0; i < int(n) && d.err == nil; i++ {
				k := d.str()
				m[k] = d.str()
			}
			v.Set(reflect.ValueOf(m).Convert(v.Type()))
			return
		}
		m := reflect.MakeMapWithSize(v.Type(), int(n))
		for i := 0; i < int(n); i++ {
			k, e := reflect.New(kt).Elem(), reflect.New(et).Elem()
			d.value(k)
			d.value(e)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Pointer:
		if d.byte1() == 0 {
			return
		}
		if v.Type().Elem().Kind() == reflect.Float64 && v.Type().Elem() == float64Type {
			if len(d.b) < 8 {
				d.fail()
				return
			}
			if len(d.floats) == 0 {
				d.floats = make([]float64, 128)
			}
			f := &d.floats[0]
			d.floats = d.floats[1:]
			*f = math.Float64frombits(binary.LittleEndian.Uint64(d.b))
			d.b = d.b[8:]
			v.Set(reflect.ValueOf(f))
			return
		}
		p := reflect.New(v.Type().Elem())
		d.value(p.Elem())
		v.Set(p)
	case reflect.Struct:
		if v.Type() == timeType {
			if d.byte1() == 0 {
				return
			}
			sec, nsec, off := d.varint(), d.uvarint(), d.varint()
			t := time.Unix(sec, int64(nsec))
			v.Set(reflect.ValueOf(t.In(localAt(t, int(off)))))
			return
		}
		for _, i := range exportedFields(v.Type()) {
			d.value(v.Field(i))
		}
	default:
		d.err = fmt.Errorf("card projection: cannot decode %s", v.Type())
	}
}
