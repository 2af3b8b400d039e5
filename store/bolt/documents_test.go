package bolt_test

import (
	"bytes"
	"image"
	"image/png"
	"testing"
	"time"

	"occhealth/app"
)

func TestDocuments_TextsSealCalendarPrintLog(t *testing.T) {
	f := newRecFixture(t)
	docs := f.td.svc.DocumentSettings
	t.Run("texts", func(t *testing.T) {
		got, err := docs.DocumentTexts(f.doctor)
		if err != nil || len(got.Blocks) != 0 {
			t.Fatalf("fresh archive: %+v %v", got, err)
		}
		in := app.DocumentTexts{Blocks: map[string]string{"header": "某县人民医院\n职业健康检查科"},
			AdvicePhrases: map[string][]string{"01": {"继续做好个人防护"}}, Images: map[string]app.ImageOptions{app.DocReport: {Seal: true}}}
		wantCode(t, docs.SaveDocumentTexts(f.doctor, in), app.EFORBIDDEN)
		bad := in
		bad.Images = map[string]app.ImageOptions{app.DocSettlement: {Signature: true}}
		wantCode(t, docs.SaveDocumentTexts(f.td.admin, bad), app.EINVALID, "不能打印签名图片")
		if err := docs.SaveDocumentTexts(f.td.admin, in); err != nil {
			t.Fatal(err)
		}
		got, err = docs.DocumentTexts(f.doctor)
		if err != nil || got.Blocks["header"] != in.Blocks["header"] || !got.Images[app.DocReport].Seal || got.UpdatedBy == "" {
			t.Fatalf("%+v %v", got, err)
		}
	})
	t.Run("seal", func(t *testing.T) {
		wantCode(t, docs.SaveSealImage(f.td.admin, []byte("not a png")), app.EINVALID, "PNG")
		var buf bytes.Buffer
		if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 40, 40))); err != nil {
			t.Fatal(err)
		}
		wantCode(t, docs.SaveSealImage(f.doctor, buf.Bytes()), app.EFORBIDDEN)
		if err := docs.SaveSealImage(f.td.admin, buf.Bytes()); err != nil {
			t.Fatal(err)
		}
		got, err := docs.SealImage(f.doctor)
		if err != nil || !bytes.Equal(got, buf.Bytes()) {
			t.Fatalf("seal %d bytes, %v", len(got), err)
		}
		if err := docs.SaveSealImage(f.td.admin, nil); err != nil {
			t.Fatal(err)
		}
		if got, err := docs.SealImage(f.doctor); err != nil || got != nil {
			t.Fatalf("removed seal: %d bytes, %v", len(got), err)
		}
	})
	t.Run("signature", func(t *testing.T) {
		var buf bytes.Buffer
		if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 80, 30))); err != nil {
			t.Fatal(err)
		}
		wantCode(t, docs.SaveSignatureImage(f.td.admin, "zhujian", []byte("not a png")), app.EINVALID, "PNG")
		wantCode(t, docs.SaveSignatureImage(f.td.admin, "zhujian", make([]byte, 2<<20+1)), app.EINVALID, "2 MB")
		wantCode(t, docs.SaveSignatureImage(f.td.admin, "nobody", buf.Bytes()), app.EINVALID, "nobody")
		wantCode(t, docs.SaveSignatureImage(f.td.admin, " ", buf.Bytes()), app.EINVALID, "请选择用户")
		wantCode(t, docs.SaveSignatureImage(f.chief, "zhujian", buf.Bytes()), app.EFORBIDDEN)
		if got, err := docs.SignatureImage(f.doctor, "zhujian"); err != nil || got != nil {
			t.Fatalf("no signature yet: %d bytes, %v", len(got), err)
		}
		if err := docs.SaveSignatureImage(f.td.admin, "zhujian", buf.Bytes()); err != nil {
			t.Fatal(err)
		}
		got, err := docs.SignatureImage(f.doctor, "zhujian")
		if err != nil || !bytes.Equal(got, buf.Bytes()) {
			t.Fatalf("signature %d bytes, %v", len(got), err)
		}
		if got, err := docs.SignatureImage(f.doctor, "tijian"); err != nil || got != nil {
			t.Fatalf("another user's signature: %d bytes, %v", len(got), err)
		}
		if seal, err := docs.SealImage(f.doctor); err != nil || seal != nil {
			t.Fatalf("a signature is not the seal: %d bytes, %v", len(seal), err)
		}
		if tx, err := docs.DocumentTexts(f.doctor); err != nil || tx.Blocks["header"] == "" {
			t.Fatalf("texts untouched by a signature: %+v %v", tx, err)
		}
		if err := docs.SaveSignatureImage(f.td.admin, "zhujian", nil); err != nil {
			t.Fatal(err)
		}
		if got, err := docs.SignatureImage(f.doctor, "zhujian"); err != nil || got != nil {
			t.Fatalf("removed signature: %d bytes, %v", len(got), err)
		}
		if err := docs.SaveSignatureImage(f.td.admin, "tijian", buf.Bytes()); err != nil {
			t.Fatal(err)
		}
		r, err := f.td.svc.Audit.VerifyAudit(f.td.admin)
		if err != nil || !r.OK {
			t.Fatalf("audit after signature writes: %+v %v", r, err)
		}
	})
	t.Run("calendar", func(t *testing.T) {
		cal := f.td.svc.Calendar
		day := func(s string) time.Time { d, _ := time.ParseInLocation("2006-01-02", s, time.Local); return d }
		c := app.Calendar{Holidays: []time.Time{day("2026-10-01"), day("2026-10-02")}, Workdays: []time.Time{day("2026-10-10")}, Years: []int{2026}}
		wantCode(t, cal.SaveCalendar(f.doctor, c), app.EFORBIDDEN)
		bad := c
		bad.Workdays = []time.Time{day("2026-10-01"), day("2026-10-12")}
		wantCode(t, cal.SaveCalendar(f.td.admin, bad), app.EINVALID, "2026-10-01 同时是假日和调休上班日", "2026-10-12 是工作日")
		if err := cal.SaveCalendar(f.td.admin, c); err != nil {
			t.Fatal(err)
		}
		got, err := cal.Calendar(f.doctor)
		if err != nil || len(got.Holidays) != 2 || len(got.Workdays) != 1 || got.Years[0] != 2026 {
			t.Fatalf("%+v %v", got, err)
		}
	})
	t.Run("print log", func(t *testing.T) {
		pl := f.td.svc.PrintLog
		r, err := pl.LogPrint(f.clerk, app.PrintRecord{Doc: app.DocReport, ContractID: f.contract.ID, ExamIDs: []int64{f.exam.ID}, Printer: "PDF", Copies: 2, Pages: 3})
		if err != nil || r.Reprint || r.ID == 0 || r.User != "dengji" {
			t.Fatalf("%+v %v", r, err)
		}
		r, err = pl.LogPrint(f.clerk, app.PrintRecord{Doc: app.DocReport, ExamIDs: []int64{f.exam.ID}, Printer: "PDF", Copies: 1, Pages: 3})
		if err != nil || !r.Reprint {
			t.Fatalf("second print of the same report is a reprint: %+v %v", r, err)
		}
		if _, err := pl.LogPrint(f.clerk, app.PrintRecord{Doc: app.DocSummary, ContractID: f.contract.ID, Pages: 8}); err != nil {
			t.Fatal(err)
		}
		ex, err := pl.FindPrints(f.doctor, 0, f.exam.ID)
		if err != nil || len(ex) != 2 || !ex[0].Reprint {
			t.Fatalf("exam prints %+v %v", ex, err)
		}
		ct, err := pl.FindPrints(f.doctor, f.contract.ID, 0)
		if err != nil || len(ct) != 2 || ct[0].Doc != app.DocSummary {
			t.Fatalf("contract prints %+v %v", ct, err)
		}
	})
	rep, err := f.td.svc.Audit.VerifyAudit(f.td.admin)
	if err != nil || !rep.OK {
		t.Fatalf("audit %+v %v", rep, err)
	}
}
