package ui

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"occhealth/app"
)

// signaturePNG is a blue stroke on a transparent background.
func signaturePNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 160, 60))
	for x := 8; x < 152; x++ {
		y := 30 + (x%32-16)*(x%32-16)/16 - 8
		for d := -2; d <= 2; d++ {
			img.Set(x, y+d, color.NRGBA{R: 20, G: 40, B: 160, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDocumentSettings_Signatures: the administrator picks a chief examiner among the chief
// examiners and reviewers (an exam doctor is not offered), a non-PNG is refused, the PNG is
// uploaded with a preview, another doctor has none, removal asks first; every change audited.
func TestDocumentSettings_Signatures(t *testing.T) {
	env := newTestEnv(t)
	for _, u := range []*app.User{
		{Username: "zhujian", Name: "郑主检", Roles: []app.Role{app.RoleChiefExaminer, app.RoleExamDoctor}},
		{Username: "shenhe", Name: "王审核", Roles: []app.Role{app.RoleReviewer}},
		{Username: "tijian", Name: "吴体检", Roles: []app.Role{app.RoleExamDoctor}},
	} {
		if err := env.Services.Users.CreateUser(env.Ctx, u, "doctor2026"); err != nil {
			t.Fatal(err)
		}
	}
	v := newDocumentSettingsScreen(env)
	show(env, v.content())
	v.tabs.SelectIndex(2)
	p := v.sig
	chief, reviewer := "郑主检（zhujian）· 主检医师", "王审核（shenhe）· 审核医师"
	if len(p.pick.Options) != 2 || p.pick.Options[0] != reviewer || p.pick.Options[1] != chief {
		t.Fatalf("offered %q", p.pick.Options)
	}
	if !p.upload.Disabled() || !p.remove.Disabled() || !strings.Contains(p.info.Text, "选择一位医师") {
		t.Errorf("nobody picked: upload %v remove %v %q", p.upload.Disabled(), p.remove.Disabled(), p.info.Text)
	}

	p.pick.SetSelected(chief)
	if p.upload.Disabled() || !p.remove.Disabled() || !strings.Contains(p.info.Text, "郑主检尚未上传签名图片") {
		t.Errorf("chief picked: %q", p.info.Text)
	}
	p.save([]byte("GIF89a not a png"))
	if !strings.Contains(v.msg.Text, "不是 PNG 图片") || p.png != nil || p.img.Resource != nil {
		t.Errorf("bad image: %q", v.msg.Text)
	}
	sig := signaturePNG(t)
	p.save(sig)
	if p.img.Resource == nil || p.remove.Disabled() || !strings.Contains(p.info.Text, "已上传郑主检的签名图片") || !strings.Contains(v.msg.Text, "郑主检的签名图片已上传") {
		t.Errorf("uploaded: %q %q", p.info.Text, v.msg.Text)
	}
	if got, err := env.Services.DocumentSettings.SignatureImage(env.Ctx, "zhujian"); err != nil || !bytes.Equal(got, sig) {
		t.Fatalf("stored %d bytes, %v", len(got), err)
	}
	saveShot(t, env.Window, "documents-signature.png")

	// Another doctor has none; back to the chief shows the image again.
	p.pick.SetSelected(reviewer)
	if p.img.Resource != nil || !strings.Contains(p.info.Text, "王审核尚未上传签名图片") {
		t.Errorf("reviewer: %q", p.info.Text)
	}
	p.pick.SetSelected(chief)
	if p.img.Resource == nil || !bytes.Equal(p.png, sig) {
		t.Error("chief's image not shown again")
	}

	// A new screen offers the same and the upload does not touch the image options.
	if s, _ := env.Services.DocumentSettings.DocumentTexts(env.Ctx); len(s.Images) != 0 {
		t.Errorf("image options changed by an upload: %v", s.Images)
	}

	// Removal asks first; 取消 keeps the image.
	test.Tap(p.remove)
	if !strings.Contains(dialogText(env.Window), "郑主检签发的报告在签名处留空白") {
		t.Fatalf("confirm: %q", dialogText(env.Window))
	}
	tapDialogButton(t, env.Window, "取消")
	if got, _ := env.Services.DocumentSettings.SignatureImage(env.Ctx, "zhujian"); got == nil {
		t.Fatal("取消 removed the image")
	}
	test.Tap(p.remove)
	tapDialogButton(t, env.Window, "删除")
	if got, _ := env.Services.DocumentSettings.SignatureImage(env.Ctx, "zhujian"); got != nil || p.img.Resource != nil || !p.remove.Disabled() {
		t.Errorf("removed: %d bytes stored, preview %v", len(got), p.img.Resource)
	}

	// The upload and the removal are in the audit log.
	es, _, err := env.Services.Audit.FindAudit(env.Ctx, app.AuditFilter{Entity: "doc_settings"})
	n := 0
	for _, e := range es {
		if e.Action == "DocumentSettingsService.SaveSignatureImage" && strings.Contains(e.Note, "郑主检（zhujian）") {
			n++
		}
	}
	if err != nil || n != 2 {
		t.Fatalf("audit: %d signature entries of %d, %v", n, len(es), err)
	}
	// Only the administrator uploads.
	doc := envAs(t, env, app.RoleChiefExaminer)
	if err := doc.Services.DocumentSettings.SaveSignatureImage(doc.Ctx, "zhujian", sig); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("chief uploaded: %v", err)
	}
}
