package ui

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"occhealth/app"
)

// sealPNG is a small red ring on a transparent background.
func sealPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for y := range 64 {
		for x := range 64 {
			if d := (x-32)*(x-32) + (y-32)*(y-32); d < 30*30 && d > 26*26 {
				img.Set(x, y, color.NRGBA{R: 200, A: 255})
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDocumentSettings_EditSaveReload edits a text block, clears the footer, changes and adds
// advice phrases, turns the seal on for the report, uploads a seal, saves, and reads it all
// back; only what differs from the defaults is stored.
func TestDocumentSettings_EditSaveReload(t *testing.T) {
	env := newTestEnv(t)
	v := newDocumentSettingsScreen(env)
	show(env, v.content())

	// The defaults are shown as such.
	if v.blocks["footer"].Text != "本报告未加盖本机构印章无效，涂改无效。" || v.blockState["footer"].Text != "默认文字" {
		t.Fatalf("footer %q (%q)", v.blocks["footer"].Text, v.blockState["footer"].Text)
	}
	if !slices.Contains(v.phraseKeys, "04/1038") || !slices.Contains(v.phraseKeys, "01") {
		t.Fatalf("phrase keys %v", v.phraseKeys)
	}
	if !strings.Contains(v.sealInfo.Text, "留空白加盖实物印章（默认）") || v.seals[app.DocReport].Checked {
		t.Errorf("seal default %q", v.sealInfo.Text)
	}
	saveShot(t, env.Window, "documents-texts.png")

	// Text blocks: a two-line header, the footer cleared, the statement typed on.
	typeInto(v.blocks["header"], "闽清县职业病防治院·职业健康检查科")
	v.blocks["footer"].SetText("")
	if !strings.Contains(v.blockState["footer"].Text, "已修改。默认：本报告未加盖") {
		t.Errorf("footer state %q", v.blockState["footer"].Text)
	}
	typeInto(v.blocks["report.statement"], "改")
	v.resetBlock("report.statement")
	if v.blockState["report.statement"].Text != "默认文字" {
		t.Errorf("after 恢复默认 %q", v.blockState["report.statement"].Text)
	}

	// Phrases: change those of 职业禁忌证 · 矽尘; add 疑似职业病 · 噪声; a bad hazard code is refused.
	v.phraseList.Select(slices.Index(v.phraseKeys, "04/1038"))
	if !strings.Contains(v.phraseTitle.Text, "职业禁忌证 · 矽尘（04/1038）") || !strings.Contains(v.phraseEdit.Text, "调离粉尘作业岗位") {
		t.Fatalf("selected %q: %q", v.phraseTitle.Text, v.phraseEdit.Text)
	}
	v.phraseEdit.SetText("")
	typeInto(v.phraseEdit, "不宜继续从事粉尘作业")
	v.addConcl.SetSelected("03 疑似职业病")
	typeInto(v.addHazard, "9999")
	test.Tap(v.addKey)
	if !strings.Contains(v.msg.Text, "“9999”不在危害因素代码表中") {
		t.Errorf("bad hazard: %q", v.msg.Text)
	}
	v.addHazard.SetText("")
	typeInto(v.addHazard, "3008")
	test.Tap(v.addKey)
	if v.phraseSel < 0 || v.phraseKeys[v.phraseSel] != "03/3008" || !strings.Contains(v.phraseTitle.Text, "疑似职业病 · 噪声") {
		t.Fatalf("added key: sel %d %q", v.phraseSel, v.phraseTitle.Text)
	}
	typeInto(v.phraseEdit, "建议脱离噪声作业，到职业病诊断机构进行职业性噪声聋诊断")
	v.tabs.SelectIndex(1)
	saveShot(t, env.Window, "documents-phrases.png")

	// Images: the seal on the report; a settlement never offers a signature.
	v.seals[app.DocReport].SetChecked(true)
	if !v.signatures[app.DocSettlement].Disabled() {
		t.Error("a settlement offers a signature image")
	}
	if !strings.Contains(v.sealInfo.Text, "尚未上传印章图片") {
		t.Errorf("seal on without image: %q", v.sealInfo.Text)
	}
	v.uploadSeal([]byte("GIF89a not a png"))
	if !strings.Contains(v.msg.Text, "不是 PNG 图片") || v.seal != nil {
		t.Errorf("bad seal: %q", v.msg.Text)
	}
	seal := sealPNG(t)
	v.uploadSeal(seal)
	if v.sealImg.Resource == nil || !strings.Contains(v.sealInfo.Text, "已上传印章图片") || v.sealRemove.Disabled() {
		t.Errorf("seal preview %v %q", v.sealImg.Resource, v.sealInfo.Text)
	}
	v.tabs.SelectIndex(2)
	saveShot(t, env.Window, "documents-images.png")

	test.Tap(v.save)
	if !strings.Contains(v.msg.Text, "已保存") {
		t.Fatalf("save: %q", v.msg.Text)
	}

	stored, err := env.Services.DocumentSettings.DocumentTexts(env.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Blocks["header"] != "闽清县职业病防治院·职业健康检查科" {
		t.Errorf("header %q", stored.Blocks["header"])
	}
	if f, ok := stored.Blocks["footer"]; !ok || f != "" {
		t.Errorf("footer stored %q %v", f, ok)
	}
	if _, ok := stored.Blocks["report.statement"]; ok || len(stored.Blocks) != 2 {
		t.Errorf("stored blocks %v: only the changed ones", stored.Blocks)
	}
	if !slices.Equal(stored.AdvicePhrases["04/1038"], []string{"不宜继续从事粉尘作业"}) || len(stored.AdvicePhrases["03/3008"]) != 1 || len(stored.AdvicePhrases) != 2 {
		t.Errorf("stored phrases %v", stored.AdvicePhrases)
	}
	if len(stored.Images) != 1 || !stored.Images[app.DocReport].Seal || stored.Images[app.DocReport].Signature {
		t.Errorf("stored images %v", stored.Images)
	}
	if got, _ := env.Services.DocumentSettings.SealImage(env.Ctx); !bytes.Equal(got, seal) {
		t.Error("seal image not stored")
	}
	// What the renderers get (reports.Texts merges the same way).
	merged := v.defs.Merge(stored)
	if a := merged.AdviceFor("04", "1038"); len(a) != 2 || a[0] != "不宜继续从事粉尘作业" {
		t.Errorf("advice in force %q", a)
	}

	// The 主检 screen offers the phrases after its own.
	opts := conclusionPhraseOptions(env)
	if !slices.Contains(opts, "不宜继续从事粉尘作业") || !slices.Contains(opts, "建议脱离噪声作业，到职业病诊断机构进行职业性噪声聋诊断") ||
		opts[0] != advicePhrases[0] || slices.Contains(opts, "不宜继续从事接触粉尘的作业，建议调离粉尘作业岗位。") {
		t.Errorf("主检 phrases %q", opts)
	}

	// A new screen reads it back.
	v2 := newDocumentSettingsScreen(env)
	show(env, v2.content())
	if v2.blocks["header"].Text != "闽清县职业病防治院·职业健康检查科" || v2.blocks["footer"].Text != "" || !strings.HasPrefix(v2.blockState["header"].Text, "已修改") {
		t.Errorf("reloaded header %q footer %q", v2.blocks["header"].Text, v2.blocks["footer"].Text)
	}
	if !v2.seals[app.DocReport].Checked || v2.seals[app.DocSummary].Checked || v2.sealImg.Resource == nil {
		t.Error("reloaded image options")
	}
	v2.phraseList.Select(slices.Index(v2.phraseKeys, "03/3008"))
	if v2.phraseEdit.Text != "建议脱离噪声作业，到职业病诊断机构进行职业性噪声聋诊断" {
		t.Errorf("reloaded phrase %q", v2.phraseEdit.Text)
	}
	// 恢复默认用语 brings the default back, and saving then stores nothing for it.
	v2.phraseList.Select(slices.Index(v2.phraseKeys, "04/1038"))
	test.Tap(v2.phraseReset)
	test.Tap(v2.save)
	if s, _ := env.Services.DocumentSettings.DocumentTexts(env.Ctx); len(s.AdvicePhrases) != 1 {
		t.Errorf("after 恢复默认: %v", s.AdvicePhrases)
	}

	// Every change is in the audit log: the seal upload and two saves.
	es, _, err := env.Services.Audit.FindAudit(env.Ctx, app.AuditFilter{Entity: "doc_settings"})
	if err != nil || len(es) != 3 {
		t.Fatalf("audit %d %v", len(es), err)
	}
}

// TestDocumentSettings_Refusals: a signature image on the settlement sheet is refused by the
// store even if the option is forced on, with the message shown; other roles cannot save.
func TestDocumentSettings_Refusals(t *testing.T) {
	env := newTestEnv(t)
	v := newDocumentSettingsScreen(env)
	show(env, v.content())
	v.signatures[app.DocSettlement].SetChecked(true) // disabled on screen; forced here
	test.Tap(v.save)
	if !strings.Contains(v.msg.Text, "不能打印签名图片") {
		t.Errorf("refusal %q", v.msg.Text)
	}
	if s, _ := env.Services.DocumentSettings.DocumentTexts(env.Ctx); len(s.Images) != 0 {
		t.Errorf("stored %v", s.Images)
	}
	doc := envAs(t, env, app.RoleExamDoctor)
	if err := doc.Services.DocumentSettings.SaveDocumentTexts(doc.Ctx, app.DocumentTexts{}); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("doctor saved: %v", err)
	}
	if err := doc.Services.DocumentSettings.SaveSealImage(doc.Ctx, sealPNG(t)); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("doctor uploaded a seal: %v", err)
	}
}
