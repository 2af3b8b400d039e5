package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"occhealth/app"
	"occhealth/demo"
)

// testSignaturePNG is a dark-blue scrawl on a transparent background.
func testSignaturePNG(t *testing.T) []byte {
	t.Helper()
	im := image.NewNRGBA(image.Rect(0, 0, 240, 96))
	ink := color.NRGBA{R: 20, G: 40, B: 160, A: 255}
	for x := 10; x < 230; x++ {
		y := 48 + (x%40-20)*(x%40-20)/12 - 16
		for d := -3; d <= 3; d++ {
			im.SetNRGBA(x, y+d, ink)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, im); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReportSignatureImage: the signer's uploaded signature prints on the exam report (the
// command line's and the print batch's) only while the administrator's 打印签名图片 option for
// reports is on; with the option off, or without an upload, the place stays blank.
func TestReportSignatureImage(t *testing.T) {
	dir, path, pw := demoArchive(t, demo.Options{Workers: 300, Seed: 5})
	a, ctx, err := login(&globals{db: path, user: "demo", passwordFile: pw})
	if err != nil {
		t.Fatal(err)
	}
	defer a.db.Close()
	exams, _, err := a.svc.Exams.FindExams(ctx, app.ExamFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var exam *app.Exam
	for _, e := range exams {
		if e.State == app.ExamReviewed || e.State == app.ExamReleased {
			full, err := a.svc.Exams.FindExamByID(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if full.Record != nil && full.Record.Parties != nil && full.Record.Signature != nil {
				exam = full
				break
			}
		}
	}
	if exam == nil {
		t.Fatal("demo archive without a reviewed exam")
	}
	signer := exam.Record.Signature.Login
	sig := testSignaturePNG(t)
	docs := a.svc.DocumentSettings
	if err := docs.SaveSignatureImage(ctx, signer, sig); err != nil {
		t.Fatal(err)
	}
	setOption := func(on bool) {
		t.Helper()
		texts, err := docs.DocumentTexts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		texts.Images[app.DocReport] = app.ImageOptions{Signature: on}
		if err := docs.SaveDocumentTexts(ctx, *texts); err != nil {
			t.Fatal(err)
		}
	}
	// batch renders the exam's reports through the print batch and counts the images drawn
	// (pdfimages), -1 without poppler.
	batch := func(name string) int {
		t.Helper()
		pd, _, err := app.PlanPrint(ctx, a.svc, app.PrintBatch{ExamID: exam.ID, Docs: []string{app.DocReport}, Copies: 1})
		if err != nil || len(pd) != 1 {
			t.Fatalf("plan: %d documents, %v", len(pd), err)
		}
		out := filepath.Join(dir, name)
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		res, err := app.SavePrint(pd, out, nil)
		if err != nil || len(res) != 1 || len(res[0].Files) != 1 {
			t.Fatalf("save: %+v %v", res, err)
		}
		f := res[0].Files[0]
		if shots := os.Getenv("OCCHEALTH_SHOTS"); shots != "" {
			exec.Command("pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "9", f, filepath.Join(shots, "report-signature-"+name)).Run()
		}
		if _, err := exec.LookPath("pdfimages"); err != nil {
			return -1
		}
		list, err := exec.Command("pdfimages", "-list", f).Output()
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(list)), "\n")
		return len(lines) - 2 // the header and the rule
	}

	setOption(false)
	in, err := examReportInputs(ctx, a.svc, exam.Number, "")
	if err != nil || len(in) == 0 {
		t.Fatalf("report inputs: %d, %v", len(in), err)
	}
	for _, x := range in {
		if x.Signature != nil {
			t.Fatal("option off: the command line's report carries the signature image")
		}
	}
	off := batch("off")

	setOption(true)
	if in, err = examReportInputs(ctx, a.svc, exam.Number, ""); err != nil {
		t.Fatal(err)
	}
	for _, x := range in {
		if !bytes.Equal(x.Signature, sig) {
			t.Fatalf("option on: the command line's report has %d bytes of signature, want the signer's %d", len(x.Signature), len(sig))
		}
	}
	on := batch("on")
	if off >= 0 && on <= off {
		t.Errorf("option on: %d images in the report, option off: %d; want the signature drawn", on, off)
	}

	// Without an upload the option prints nothing.
	if err := docs.SaveSignatureImage(ctx, signer, nil); err != nil {
		t.Fatal(err)
	}
	if in, err = examReportInputs(ctx, a.svc, exam.Number, ""); err != nil {
		t.Fatal(err)
	}
	for _, x := range in {
		if x.Signature != nil {
			t.Fatal("removed signature still printed")
		}
	}
	if none := batch("none"); off >= 0 && none != off {
		t.Errorf("removed signature: %d images, want %d as with the option off", none, off)
	}
	t.Logf("images in the report: option off %d, on %d", off, on)
}
