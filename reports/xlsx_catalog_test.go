package reports_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"occhealth/app"
	"occhealth/app/catalog"
	"occhealth/reports"
)

func loadCatalogs(t *testing.T) *catalog.Set {
	t.Helper()
	set, err := catalog.Load(os.DirFS("../assets/catalog"))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestXLSXCatalogExchange_RoundTrip exports every bundled catalog and reads it back unchanged,
// aliases containing 、, Extra fields and effective dates included.
func TestXLSXCatalogExchange_RoundTrip(t *testing.T) {
	set := loadCatalogs(t)
	x := reports.XLSXCatalogExchange{}
	for _, name := range set.Names() {
		t.Run(name, func(t *testing.T) {
			c, _ := set.Catalog(name)
			b, err := x.ExportCatalog(c)
			if err != nil {
				t.Fatal(err)
			}
			got, err := x.ImportCatalog(name, b)
			if err != nil {
				t.Fatal(app.ErrorMessage(err))
			}
			want, _ := catalog.Marshal(dropEmptyExtra(c))
			have, err := catalog.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(want, have) {
				t.Errorf("round trip changed the catalog:\n%s", firstDiff(string(want), string(have)))
			}
		})
	}
}

// dropEmptyExtra removes Extra values that are "": a blank cell cannot tell an empty value
// from a missing key, and catalog readers treat both alike.
func dropEmptyExtra(c catalog.Catalog) catalog.Catalog {
	c.Entries = append([]catalog.Entry(nil), c.Entries...)
	for i, e := range c.Entries {
		if e.Extra == nil {
			continue
		}
		m := map[string]string{}
		for k, v := range e.Extra {
			if v != "" {
				m[k] = v
			}
		}
		if len(m) == 0 {
			m = nil
		}
		c.Entries[i].Extra = m
	}
	return c
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return "want: " + al[i] + "\nhave: " + bl[i]
		}
	}
	return "lengths differ"
}

func smallCatalog() catalog.Catalog {
	return catalog.Catalog{
		Name: "demo", Title: "演示字典", Version: "1", Source: "测试", EffectiveFrom: "2025-08-01",
		Entries: []catalog.Entry{
			{Code: "01", Name: "粉尘", Level: 1},
			{Code: "0101", Name: "矽尘", Parent: "01", Level: 2, Aliases: []string{"游离二氧化硅粉尘", "甲、乙"}, Status: "U", Extra: map[string]string{"k": "v"}},
			{Code: "L1", Name: "本地粉尘", Parent: "01", Level: 2, Local: true},
		},
	}
}

// edit exports smallCatalog, applies fn to the workbook and returns its bytes.
func edit(t *testing.T, fn func(f *excelize.File)) []byte {
	t.Helper()
	b, err := reports.XLSXCatalogExchange{}.ExportCatalog(smallCatalog())
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	fn(f)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func set(f *excelize.File, cell, v string) {
	if err := f.SetCellStr("条目", cell, v); err != nil {
		panic(err)
	}
}

func TestXLSXCatalogExchange_ImportEdits(t *testing.T) {
	b := edit(t, func(f *excelize.File) {
		set(f, "B3", "矽尘（改）")
		set(f, "F3", "甲、「乙、丙」、 丁 ")
		set(f, "H3", "V")
		// a new local entry after a blank row
		row := []any{"L2", "新增条目", "01", 2, "", "", "是", "U"}
		if err := f.SetSheetRow("条目", "A6", &row); err != nil {
			t.Fatal(err)
		}
	})
	c, err := reports.XLSXCatalogExchange{}.ImportCatalog("demo", b)
	if err != nil {
		t.Fatal(app.ErrorMessage(err))
	}
	if len(c.Entries) != 4 {
		t.Fatalf("entries = %d, want 4", len(c.Entries))
	}
	e := c.Entries[1]
	if e.Name != "矽尘（改）" || e.Status != "V" || strings.Join(e.Aliases, "|") != "甲|乙、丙|丁" || e.Extra["k"] != "v" {
		t.Errorf("edited entry = %+v", e)
	}
	if n := c.Entries[3]; n.Code != "L2" || !n.Local || n.Status != "U" || n.Level != 2 {
		t.Errorf("new entry = %+v", n)
	}
	if c.EffectiveFrom != "2025-08-01" || c.Title != "演示字典" {
		t.Errorf("header = %+v", c)
	}
}

func TestXLSXCatalogExchange_ImportErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(f *excelize.File)
		want string
	}{
		{"empty name", func(f *excelize.File) { set(f, "B3", " ") }, "第 3 行 B 列（名称）：名称不能为空"},
		{"empty code", func(f *excelize.File) { set(f, "A4", "") }, "第 4 行 A 列（代码）：代码不能为空"},
		{"duplicate code", func(f *excelize.File) { set(f, "A4", "0101") }, "第 4 行 A 列（代码）：代码“0101”与第 3 行重复"},
		{"unknown parent", func(f *excelize.File) { set(f, "C3", "99") }, "第 3 行 C 列（上级代码）：上级代码“99”不在本字典中"},
		{"bad level", func(f *excelize.File) { set(f, "D3", "二") }, "第 3 行 D 列（层级）"},
		{"bad local flag", func(f *excelize.File) { set(f, "G3", "也许") }, "第 3 行 G 列（本地代码(是/否)）"},
		{"local code not L", func(f *excelize.File) { set(f, "G3", "是") }, "第 3 行 A 列（代码）：本地代码“0101”应以大写字母 L 加数字开头"},
		{"bad status", func(f *excelize.File) { set(f, "H2", "X") }, "第 2 行 H 列（核实状态(V/P/U)）"},
		{"unpaired quote", func(f *excelize.File) { set(f, "F3", "「甲") }, "第 3 行 F 列（别名(、分隔)）"},
		{"header changed", func(f *excelize.File) { set(f, "B1", "名字") }, "第 1 行 B 列（名称）：表头应为“名称”"},
		{"stray column", func(f *excelize.File) { set(f, "J1", "备注") }, "第 1 行 J 列：多余的列“备注”"},
		{"other catalog", func(f *excelize.File) { _ = f.SetCellStr("字典信息", "B1", "hazards") }, "该文件是字典“hazards”"},
		{"bad date", func(f *excelize.File) { _ = f.SetCellStr("字典信息", "B5", "2025年") }, "生效日期应为 YYYY-MM-DD"},
		{"no info sheet", func(f *excelize.File) { _ = f.DeleteSheet("字典信息") }, "没有工作表“字典信息”"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := reports.XLSXCatalogExchange{}.ImportCatalog("demo", edit(t, tt.edit))
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("err = %v (%s), want EINVALID", err, app.ErrorCode(err))
			}
			if msg := app.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message = %q, want it to contain %q", msg, tt.want)
			}
		})
	}
	t.Run("not xlsx", func(t *testing.T) {
		_, err := reports.XLSXCatalogExchange{}.ImportCatalog("demo", []byte("代码,名称\n01,粉尘\n"))
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), ".xlsx") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestXLSXCatalogExchange_ExportCodesAsText(t *testing.T) {
	b, err := reports.XLSXCatalogExchange{}.ExportCatalog(smallCatalog())
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	typ, err := f.GetCellType("条目", "A3")
	if err != nil {
		t.Fatal(err)
	}
	if typ == excelize.CellTypeNumber {
		t.Errorf("code cell A3 is a number; codes such as 0101 must stay text")
	}
	if v, _ := f.GetCellValue("条目", "A3"); v != "0101" {
		t.Errorf("A3 = %q, want 0101", v)
	}
	if v, _ := f.GetCellValue("条目", "F3"); v != "游离二氧化硅粉尘、「甲、乙」" {
		t.Errorf("F3 = %q", v)
	}
}

func FuzzXLSXCatalogExchange_Import(f *testing.F) {
	b, err := reports.XLSXCatalogExchange{}.ExportCatalog(smallCatalog())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := reports.XLSXCatalogExchange{}.ImportCatalog("demo", data)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("non-EINVALID error %v", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("imported catalog does not validate: %v", err)
		}
	})
}

// FuzzXLSXCatalogExchange_ImportCells puts arbitrary text into the cells of one row of a
// valid workbook, so that the fuzzer reaches the cell checks rather than the zip reader.
func FuzzXLSXCatalogExchange_ImportCells(f *testing.F) {
	base, err := reports.XLSXCatalogExchange{}.ExportCatalog(smallCatalog())
	if err != nil {
		f.Fatal(err)
	}
	f.Add("L9", "名称", "01", "2", "类别", "甲、「乙、丙」", "是", "U", "v")
	f.Add("", " ", "99", "x", "", "「", "也许", "Q", "")
	f.Fuzz(func(t *testing.T, code, name, parent, level, category, aliases, local, status, extra string) {
		wb, err := excelize.OpenReader(bytes.NewReader(base))
		if err != nil {
			t.Fatal(err)
		}
		row := []any{code, name, parent, level, category, aliases, local, status, extra}
		if err := wb.SetSheetRow("条目", "A5", &row); err != nil {
			return // excelize refuses the text (e.g. over 32767 characters)
		}
		buf, err := wb.WriteToBuffer()
		if err != nil {
			return
		}
		c, err := reports.XLSXCatalogExchange{}.ImportCatalog("demo", buf.Bytes())
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("non-EINVALID error %v", err)
			}
			if !strings.Contains(app.ErrorMessage(err), "第 ") && !strings.Contains(app.ErrorMessage(err), "工作表") {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("imported catalog does not validate: %v", err)
		}
	})
}
