package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"occhealth/app"
)

// A roster workbook is read straight from its XML parts with one streaming pass per sheet:
// excelize's cell-by-cell API decodes the whole sheet into a tree and formats every value,
// which took 0.8 s for 5,000 rows on a two-core office PC; this takes a fraction of that
// and still sees each cell's type and number format (a number is not a text, a date format
// makes a number a date). Files this reader cannot follow fall back to excelize.

// xlsxPartLimit bounds how much one part of a workbook may inflate to (a zip bomb guard).
const xlsxPartLimit = 256 << 20

var errXLSXLayout = errors.New("xlsx: unexpected package layout")

// xlsxBook is the parts of a workbook a roster reader needs.
type xlsxBook struct {
	files    map[string]*zip.File
	lower    map[string]*zip.File
	strings  []string
	dateFmt  []bool // by cell style index: the number format shows a date
	date1904 bool
	sheets   []xlsxSheetRef // in the order to try: the active sheet first
}

type xlsxSheetRef struct {
	name, path string
	hidden     bool
}

// xlsxCellMeta says how a cell was stored.
type xlsxCellMeta struct {
	number bool // a number (t absent or "n"): text holds it as written in the file
	date   bool // a number with a date format, or an ISO date (t="d")
	iso    bool // t="d"
}

func openXLSXBook(data []byte) (*xlsxBook, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	b := &xlsxBook{files: map[string]*zip.File{}, lower: map[string]*zip.File{}}
	for _, f := range zr.File {
		name := strings.TrimPrefix(f.Name, "/")
		b.files[name] = f
		b.lower[strings.ToLower(name)] = f
	}
	wbPath := "xl/workbook.xml"
	if rels, err := b.rels("_rels/.rels", ""); err == nil {
		for _, r := range rels {
			if strings.HasSuffix(r.typ, "/officeDocument") {
				wbPath = r.target
			}
		}
	}
	wb, err := b.read(wbPath)
	if err != nil {
		return nil, err
	}
	dir := path.Dir(wbPath)
	rels, err := b.rels(path.Join(dir, "_rels", path.Base(wbPath)+".rels"), dir)
	if err != nil {
		return nil, err
	}
	targets := map[string]string{}
	var stylesPath, sstPath string
	for _, r := range rels {
		targets[r.id] = r.target
		switch {
		case strings.HasSuffix(r.typ, "/styles"):
			stylesPath = r.target
		case strings.HasSuffix(r.typ, "/sharedStrings"):
			sstPath = r.target
		}
	}
	active := 0
	var sheets []xlsxSheetRef
	d := xml.NewDecoder(bytes.NewReader(wb))
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "workbookPr":
			v := attr(se, "date1904")
			b.date1904 = v == "1" || v == "true"
		case "workbookView":
			if n, err := strconv.Atoi(attr(se, "activeTab")); err == nil && n >= 0 {
				active = n
			}
		case "sheet":
			id := ""
			for _, a := range se.Attr {
				if a.Name.Local == "id" && a.Name.Space != "" {
					id = a.Value
				}
			}
			p, ok := targets[id]
			if !ok {
				return nil, errXLSXLayout
			}
			sheets = append(sheets, xlsxSheetRef{name: attr(se, "name"), path: p, hidden: attr(se, "state") != "" && attr(se, "state") != "visible"})
		}
	}
	if len(sheets) == 0 {
		return nil, errXLSXLayout
	}
	if active < len(sheets) {
		b.sheets = append(b.sheets, sheets[active])
		sheets = append(sheets[:active:active], sheets[active+1:]...)
	}
	b.sheets = append(b.sheets, sheets...)
	if sstPath != "" {
		if err := b.readStrings(sstPath); err != nil {
			return nil, err
		}
	}
	if stylesPath != "" {
		if err := b.readStyles(stylesPath); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

func (b *xlsxBook) read(name string) ([]byte, error) {
	f, ok := b.files[name]
	if !ok {
		if f, ok = b.lower[strings.ToLower(name)]; !ok {
			return nil, fmt.Errorf("xlsx: no part %s: %w", name, errXLSXLayout)
		}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	out, err := io.ReadAll(io.LimitReader(rc, xlsxPartLimit+1))
	if err != nil {
		return nil, err
	}
	if len(out) > xlsxPartLimit {
		return nil, fmt.Errorf("xlsx: part %s larger than %d bytes", name, xlsxPartLimit)
	}
	return out, nil
}

type xlsxRel struct{ id, typ, target string }

// rels reads a relationships part; targets are resolved against dir.
func (b *xlsxBook) rels(name, dir string) ([]xlsxRel, error) {
	data, err := b.read(name)
	if err != nil {
		return nil, err
	}
	var out []xlsxRel
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Relationship" {
			t := attr(se, "Target")
			if strings.HasPrefix(t, "/") {
				t = strings.TrimPrefix(t, "/")
			} else {
				t = path.Join(dir, t)
			}
			out = append(out, xlsxRel{id: attr(se, "Id"), typ: attr(se, "Type"), target: t})
		}
	}
}

// readStrings reads the shared strings, leaving out phonetic runs (rPh).
func (b *xlsxBook) readStrings(name string) error {
	data, err := b.read(name)
	if err != nil {
		return err
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var cur strings.Builder
	inSI, inT, phonetic := false, false, 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI = true
				cur.Reset()
			case "rPh":
				phonetic++
			case "t":
				inT = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if inSI {
					b.strings = append(b.strings, cur.String())
				}
				inSI = false
			case "rPh":
				phonetic--
			case "t":
				inT = false
			}
		case xml.CharData:
			if inSI && inT && phonetic == 0 {
				cur.Write(t)
			}
		}
	}
}

// readStyles marks the cell styles whose number format is a date.
func (b *xlsxBook) readStyles(name string) error {
	data, err := b.read(name)
	if err != nil {
		return err
	}
	custom := map[string]string{}
	d := xml.NewDecoder(bytes.NewReader(data))
	inXfs := false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "numFmt":
				custom[attr(t, "numFmtId")] = attr(t, "formatCode")
			case "cellXfs":
				inXfs = true
			case "xf":
				if inXfs {
					id := attr(t, "numFmtId")
					isDate := false
					if code, ok := custom[id]; ok {
						isDate = customFormatIsDate(code)
					} else if n, err := strconv.Atoi(id); err == nil {
						isDate = builtinFormatIsDate(n)
					}
					b.dateFmt = append(b.dateFmt, isDate)
				}
			}
		case xml.EndElement:
			if t.Name.Local == "cellXfs" {
				inXfs = false
			}
		}
	}
}

// builtinFormatIsDate reports whether a built-in number format (no formatCode in the file)
// shows a date: 14–17 and 22 everywhere, 27–31, 34–36 and 50–58 in Chinese locales.
func builtinFormatIsDate(n int) bool {
	return n >= 14 && n <= 17 || n == 22 || n >= 27 && n <= 31 || n >= 34 && n <= 36 || n >= 50 && n <= 58
}

// sheetGrid reads one worksheet into a grid: rows that have cells, with their row numbers,
// text values and how each was stored. Merged ranges give every cell the top-left value, as
// rosters merge 车间 over the rows of one workshop.
func (b *xlsxBook) sheetGrid(sheet xlsxSheetRef) (rosterGrid, error) {
	data, err := b.read(sheet.path)
	if err != nil {
		return rosterGrid{}, err
	}
	var (
		rows    [][]string
		metas   [][]xlsxCellMeta
		lineNos []int
		merges  []string
	)
	d := xml.NewDecoder(bytes.NewReader(data))
	rowNo, col := 0, 0
	var (
		inCell, inV, inIS, inT bool
		inPh                   bool // a phonetic run (rPh): not part of the value
		cellType, cellStyle    string
		val                    strings.Builder
	)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		} else if err != nil {
			return rosterGrid{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				n, err := strconv.Atoi(attr(t, "r"))
				if err != nil || n <= rowNo {
					n = rowNo + 1
				}
				if n > 1048576 {
					return rosterGrid{}, errXLSXLayout
				}
				rowNo, col = n, 0
				rows, metas, lineNos = append(rows, nil), append(metas, nil), append(lineNos, n)
			case "c":
				if len(rows) == 0 {
					return rosterGrid{}, errXLSXLayout
				}
				if c, ok := cellColumn(attr(t, "r")); ok && c >= col {
					col = c
				}
				inCell, cellType, cellStyle = true, attr(t, "t"), attr(t, "s")
				val.Reset()
			case "v":
				inV = inCell
			case "is":
				inIS = inCell
			case "t":
				inT = inIS
			case "rPh":
				inPh = true
			case "mergeCell":
				merges = append(merges, attr(t, "ref"))
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "c":
				if !inCell {
					continue
				}
				inCell = false
				if col >= 16384 {
					continue
				}
				text, meta := b.cellValue(cellType, cellStyle, val.String())
				i := len(rows) - 1
				for len(rows[i]) <= col {
					rows[i], metas[i] = append(rows[i], ""), append(metas[i], xlsxCellMeta{})
				}
				rows[i][col], metas[i][col] = text, meta
				col++
			case "v":
				inV = false
			case "is":
				inIS = false
			case "t":
				inT = false
			case "rPh":
				inPh = false
			}
		case xml.CharData:
			if inV || inT && !inPh {
				val.Write(t)
			}
		}
	}
	fillMerges(rows, metas, lineNos, merges)
	g := rosterGrid{rows: rows, lineNos: lineNos}
	g.cell = func(i, col int) rosterCell {
		if col >= len(rows[i]) {
			return rosterCell{}
		}
		c, m := rosterCell{text: rows[i][col]}, metas[i][col]
		switch {
		case m.iso:
			if len(c.text) >= 10 && c.text[4] == '-' {
				c.text, c.kind = c.text[:10], cellDate
			}
		case m.number:
			c.kind, c.raw = cellNumber, c.text
			if m.date {
				if v, err := strconv.ParseFloat(c.text, 64); err == nil {
					if b.date1904 {
						v += 1462
					}
					if v >= 61 && v < 73051 {
						c.text, c.kind = app.ExcelSerialDate(v).Format(time.DateOnly), cellDate
					}
				}
			}
		}
		return c
	}
	return g, nil
}

// cellValue turns a cell's stored value into its text.
func (b *xlsxBook) cellValue(typ, style, v string) (string, xlsxCellMeta) {
	switch typ {
	case "s":
		if i, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && i >= 0 && i < len(b.strings) {
			return b.strings[i], xlsxCellMeta{}
		}
		return "", xlsxCellMeta{}
	case "inlineStr", "str", "e":
		return v, xlsxCellMeta{}
	case "b":
		if strings.TrimSpace(v) == "1" {
			return "TRUE", xlsxCellMeta{}
		}
		return "FALSE", xlsxCellMeta{}
	case "d":
		return v, xlsxCellMeta{iso: true}
	}
	v = strings.TrimSpace(v)
	if v == "" {
		return "", xlsxCellMeta{}
	}
	if _, err := strconv.ParseFloat(v, 64); err != nil {
		return v, xlsxCellMeta{}
	}
	m := xlsxCellMeta{number: true}
	if s, err := strconv.Atoi(style); err == nil && s >= 0 && s < len(b.dateFmt) {
		m.date = b.dateFmt[s]
	}
	return v, m
}

// cellColumn returns the 0-based column of a reference such as "AB12".
func cellColumn(ref string) (int, bool) {
	col, n := 0, 0
	for _, r := range ref {
		if r >= 'A' && r <= 'Z' {
			col = col*26 + int(r-'A'+1)
			if n++; n > 3 {
				return 0, false
			}
			continue
		}
		break
	}
	if n == 0 {
		return 0, false
	}
	return col - 1, true
}

// cellRow returns the 1-based row of a reference such as "AB12".
func cellRow(ref string) (int, bool) {
	i := strings.IndexFunc(ref, func(r rune) bool { return r >= '0' && r <= '9' })
	if i < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(ref[i:])
	return n, err == nil && n > 0
}

// fillMerges copies the top-left value of each merged range into its other cells, on the
// rows the grid has.
func fillMerges(rows [][]string, metas [][]xlsxCellMeta, lineNos []int, merges []string) {
	if len(merges) == 0 {
		return
	}
	index := make(map[int]int, len(lineNos))
	for i, n := range lineNos {
		index[n] = i
	}
	for _, ref := range merges {
		from, to, ok := strings.Cut(ref, ":")
		if !ok {
			continue
		}
		c1, ok1 := cellColumn(from)
		c2, ok2 := cellColumn(to)
		r1, ok3 := cellRow(from)
		r2, ok4 := cellRow(to)
		if !(ok1 && ok2 && ok3 && ok4) || c2 < c1 || r2 < r1 || c2-c1 > 100 {
			continue
		}
		top, ok := index[r1]
		if !ok || c1 >= len(rows[top]) {
			continue
		}
		text, meta := rows[top][c1], metas[top][c1]
		for _, i := range index {
			if n := lineNos[i]; n < r1 || n > r2 {
				continue
			}
			for c := c1; c <= c2; c++ {
				for len(rows[i]) <= c {
					rows[i], metas[i] = append(rows[i], ""), append(metas[i], xlsxCellMeta{})
				}
				if rows[i][c] == "" {
					rows[i][c], metas[i][c] = text, meta
				}
			}
		}
	}
}
