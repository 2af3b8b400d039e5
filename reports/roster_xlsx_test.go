package reports_test

import (
	"archive/zip"
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"occhealth/app"
	"occhealth/reports"
)

// handXLSX zips parts into a workbook, for layouts excelize does not write.
func handXLSX(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const handRels = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/>
</Relationships>`

// handRosterXLSX is a hand-made workbook; see TestReadRoster_XLSXLayouts.
func handRosterXLSX(t testing.TB) []byte {
	t.Helper()
	id1, id2 := rosterID("42010219900307123"), rosterID("42010219920515122")
	return handXLSX(t, map[string]string{
		"_rels/.rels": handRels,
		"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8"?>
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<x:workbookPr date1904="1"/><x:bookViews><x:workbookView activeTab="2"/></x:bookViews>
<x:sheets><x:sheet name="隐藏" sheetId="1" state="hidden" r:id="rId1"/><x:sheet name="空" sheetId="2" r:id="rId2"/><x:sheet name="名单" sheetId="3" r:id="rId3"/></x:sheets></x:workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet3.xml"/>
<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>`,
		"xl/sharedStrings.xml": `<?xml version="1.0" encoding="UTF-8"?>
<x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<x:si><x:t>姓名</x:t></x:si>
<x:si><x:r><x:rPr><x:b/></x:rPr><x:t>身份证</x:t></x:r><x:r><x:t>号码</x:t></x:r><x:rPh sb="0" eb="3"><x:t>shenfenzheng</x:t></x:rPh></x:si>
<x:si><x:t xml:space="preserve"> 出生日期 </x:t></x:si>
<x:si><x:t>车间</x:t></x:si>
<x:si><x:t>张&amp;三</x:t><x:rPh sb="0" eb="1"><x:t>zhang</x:t></x:rPh></x:si>
<x:si><x:t>开始接害日期</x:t></x:si>
</x:sst>`,
		"xl/styles.xml": `<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="49"/></cellXfs>
</styleSheet>`,
		"xl/worksheets/sheet1.xml": `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row></sheetData></worksheet>`,
		"xl/worksheets/sheet2.xml": `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>`,
		"xl/worksheets/sheet3.xml": `<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row r="3"><x:c r="B3" t="s"><x:v>0</x:v></x:c><x:c r="C3" t="s"><x:v>1</x:v></x:c><x:c r="D3" t="s"><x:v>2</x:v></x:c><x:c r="E3" t="s"><x:v>3</x:v></x:c><x:c r="F3" t="s"><x:v>5</x:v></x:c></x:row>
<x:row r="4"><x:c r="B4" t="s"><x:v>4</x:v></x:c><x:c r="C4" t="inlineStr"><x:is><x:t>` + id1 + `</x:t></x:is></x:c><x:c r="D4" s="1"><x:v>32937</x:v></x:c><x:c r="E4" t="inlineStr"><x:is><x:r><x:t>一</x:t></x:r><x:r><x:t>车间</x:t></x:r></x:is></x:c><x:c r="F4" t="d"><x:v>2015-06-01T00:00:00Z</x:v></x:c></x:row>
<x:row r="5"><x:c r="B5" t="inlineStr"><x:is><x:t>李四</x:t></x:is></x:c><x:c r="C5" s="2"><x:v>4.2010219920515123E+17</x:v></x:c><x:c r="F5"><x:v>20240305</x:v></x:c></x:row>
<x:row r="6"><x:c r="B6" t="inlineStr"><x:is><x:t>王五</x:t></x:is></x:c><x:c r="C6" t="str"><x:f>A1</x:f><x:v>` + id2 + `</x:v></x:c></x:row>
</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="E4:E6"/></x:mergeCells></x:worksheet>`,
	})
}

// TestReadRoster_XLSXLayouts: shared strings with rich-text and phonetic runs (WPS and Excel
// write 拼音 guides as rPh), inline strings, ISO date cells, the 1904 date system, a custom
// date format, absolute relationship targets, prefixed element names, a hidden first sheet,
// the active tab, and a merged 车间 cell over several rows.
func TestReadRoster_XLSXLayouts(t *testing.T) {
	id1, id2 := rosterID("42010219900307123"), rosterID("42010219920515122")
	data := handRosterXLSX(t)
	rf, err := reports.ReadRoster("hand.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	if rf.HeaderRow != 3 || rf.Headers[app.ColIDNumber] != "身份证号码" || rf.Headers[app.ColBirth] != "出生日期" {
		t.Fatalf("header row %d, headers %v", rf.HeaderRow, rf.Headers)
	}
	if len(rf.Records) != 3 {
		t.Fatalf("records %+v", rf.Records)
	}
	r4, r5, r6 := rf.Records[0], rf.Records[1], rf.Records[2]
	// 32937 in the 1904 system is 1994-03-06 (serial + 1462 in the 1900 system).
	if r4.Values[app.ColName] != "张&三" || r4.Values[app.ColIDNumber] != id1 || r4.Values[app.ColBirth] != "1994-03-06" ||
		r4.Values[app.ColWorkshop] != "一车间" || r4.Values[app.ColExposureStart] != "2015-06-01" {
		t.Errorf("row 4: %+v", r4.Values)
	}
	if len(r5.Problems) != 1 || !strings.Contains(r5.Problems[0].Message, "（4.20102E+17）") || r5.Values[app.ColWorkshop] != "一车间" || r5.Values[app.ColExposureStart] != "20240305" {
		t.Errorf("row 5: %+v", r5)
	}
	if r6.Values[app.ColIDNumber] != id2 || r6.Values[app.ColWorkshop] != "一车间" || len(r6.Problems) != 0 {
		t.Errorf("row 6: %+v", r6)
	}
}

// TestReadRoster_Fallback: the excelize reader, used for packages the streaming reader
// cannot follow, reads a generated roster the same way.
func TestReadRoster_Fallback(t *testing.T) {
	data := rosterXLSX(t)
	fast, err := reports.ReadRoster("名单.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	slow, err := reports.ReadRosterExcelize("名单.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Errorf("streaming reader:\n%+v\nexcelize reader:\n%+v", fast, slow)
	}
	// A package without the usual relationships goes to excelize, which refuses it.
	f := excelize.NewFile()
	buf, _ := f.WriteToBuffer()
	zr, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		if zf.Name == "xl/_rels/workbook.xml.rels" {
			continue
		}
		w, _ := zw.Create(zf.Name)
		rc, _ := zf.Open()
		var b bytes.Buffer
		_, _ = b.ReadFrom(rc)
		rc.Close()
		_, _ = w.Write(b.Bytes())
	}
	zw.Close()
	if _, err := reports.ReadRoster("broken.xlsx", out.Bytes()); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("package without workbook relationships: %v", err)
	}
}
