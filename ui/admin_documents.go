package ui

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"occhealth/app"
	"occhealth/assets"
)

func init() {
	registerScreen(ScreenDef{
		ID: "admin_documents", Group: "系统管理", Title: "文书设置", Order: 85,
		Roles:  []app.Role{app.RoleAdmin},
		Action: "DocumentSettingsService.SaveDocumentTexts",
		New:    func(env *Env) fyne.CanvasObject { return newDocumentSettingsScreen(env).content() },
	})
}

// imageDocs are the document types whose seal and signature images the administrator may turn
// on, with whether a signature image is allowed (the store refuses it elsewhere). Guides and
// labels carry no seal; certificates are not among them: they never print images.
var imageDocs = []struct {
	doc, name string
	signature bool
}{
	{app.DocReport, "职业健康检查报告", true},
	// A summary has no single signer, and the notices print none yet: no signature image.
	{app.DocSummary, "职业健康检查总结报告", false},
	{app.DocNotice, "告知书（疑似职业病、职业禁忌证、复查）", false},
	{app.DocSettlement, "结算单", false},
}

// conclusionNames are the national conclusion codes (体检结论代码表).
var conclusionNames = map[string]string{"01": "目前未见异常", "02": "复查", "03": "疑似职业病", "04": "职业禁忌证", "05": "其他疾病或异常"}

// documentSettingsScreen edits the text blocks of the printed documents, the advice phrases by
// conclusion (and hazard), the image options per document type and the seal image. Only what
// differs from the bundled defaults (assets/reports/texts.json) is stored.
type documentSettingsScreen struct {
	env  *Env
	defs *app.DocumentTextDefaults

	blockKeys  []string
	blocks     map[string]*widget.Entry
	blockState map[string]*widget.Label

	phrases     map[string][]string // working copy, defaults merged
	phraseKeys  []string
	phraseSel   int
	phraseList  *widget.List
	phraseTitle *widget.Label
	phraseEdit  *widget.Entry
	phraseReset *widget.Button
	addConcl    *widget.Select
	addHazard   *widget.Entry
	addKey      *widget.Button

	seals      map[string]*widget.Check
	signatures map[string]*widget.Check

	seal       []byte
	sealImg    *canvas.Image
	sealInfo   *widget.Label
	sealUpload *widget.Button
	sealRemove *widget.Button
	sig        *signaturePart // per-doctor signature images (admin_signatures.go)

	tabs *container.AppTabs
	msg  *widget.Label
	save *widget.Button
}

func newDocumentSettingsScreen(env *Env) *documentSettingsScreen {
	v := &documentSettingsScreen{env: env, phraseSel: -1, blocks: map[string]*widget.Entry{}, blockState: map[string]*widget.Label{},
		seals: map[string]*widget.Check{}, signatures: map[string]*widget.Check{}}
	v.msg = newMsg()
	defs, err := app.ParseDocumentTextDefaults(assets.DocumentTexts)
	if err != nil {
		defs = &app.DocumentTextDefaults{}
		setMsg(v.msg, "内置的默认文字无法读取："+err.Error())
	}
	v.defs = defs
	v.save = widget.NewButton("保存（Ctrl+S）", v.saveNow)
	v.save.Importance = widget.HighImportance

	v.phraseList = widget.NewList(func() int { return len(v.phraseKeys) }, func() fyne.CanvasObject { return widget.NewLabel("疑似职业病 · 矽尘（03/1038）") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(v.phraseLabel(v.phraseKeys[id]))
		})
	v.phraseList.OnSelected = v.selectPhrases
	v.phraseTitle = widget.NewLabelWithStyle("选择左侧的结论，在此编辑其建议用语（每行一条）", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.phraseEdit = widget.NewMultiLineEntry()
	v.phraseEdit.Wrapping = fyne.TextWrapWord
	v.phraseEdit.SetMinRowsVisible(6)
	v.phraseEdit.OnChanged = func(s string) {
		if v.phraseSel >= 0 {
			v.phrases[v.phraseKeys[v.phraseSel]] = splitLines(s)
		}
	}
	v.phraseEdit.Disable()
	v.phraseReset = widget.NewButton("恢复默认用语", v.resetPhrases)
	v.phraseReset.Disable()
	var concl []string
	for _, c := range slices.Sorted(maps.Keys(conclusionNames)) {
		concl = append(concl, c+" "+conclusionNames[c])
	}
	v.addConcl = widget.NewSelect(concl, nil)
	v.addConcl.PlaceHolder = "结论"
	v.addHazard = widget.NewEntry()
	v.addHazard.SetPlaceHolder("危害因素代码（可空），如 1038")
	v.addKey = widget.NewButton("添加", v.addPhraseKey)

	for _, d := range imageDocs {
		v.seals[d.doc] = widget.NewCheck("打印印章图片", func(bool) { v.showSealInfo() })
		s := widget.NewCheck("打印签名图片", nil)
		if !d.signature {
			s.Disable()
		}
		v.signatures[d.doc] = s
	}
	v.sealImg = canvas.NewImageFromResource(nil)
	v.sealImg.FillMode = canvas.ImageFillContain
	v.sealImg.SetMinSize(fyne.NewSize(140, 140))
	v.sealInfo = widget.NewLabel("")
	v.sealInfo.Wrapping = fyne.TextWrapWord
	v.sealUpload = widget.NewButton("上传印章图片…", v.chooseSeal)
	v.sealRemove = widget.NewButton("删除印章图片", func() {
		adminConfirm(env.Window, "删除印章图片", "删除后所有文书都留空白加盖实物印章。确定删除吗？", "删除", func() { v.uploadSeal(nil) })
	})
	v.sig = newSignaturePart(env, v.msg)
	v.load()
	if len(v.blockKeys) > 0 {
		env.Focus = v.blocks[v.blockKeys[0]]
	}
	return v
}

// phraseLabel names a phrase key, e.g. 疑似职业病 · 矽尘（03/1038）.
func (v *documentSettingsScreen) phraseLabel(key string) string {
	c, h, _ := strings.Cut(key, "/")
	name := conclusionNames[c]
	if name == "" {
		name = c
	}
	if h != "" {
		hz := h
		if v.env.Services.Catalogs != nil {
			hz = hazardNames(v.env.Services.Catalogs, []string{h})[0]
		}
		name += " · " + hz
	}
	return fmt.Sprintf("%s（%s）", name, key)
}

func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (v *documentSettingsScreen) load() {
	stored, err := v.env.Services.DocumentSettings.DocumentTexts(v.env.Ctx)
	if err != nil {
		setMsg(v.msg, app.ErrorMessage(err))
		return
	}
	merged := v.defs.Merge(stored)
	v.blockKeys = nil
	for _, b := range v.defs.Blocks {
		v.blockKeys = append(v.blockKeys, b.Key)
	}
	for _, k := range slices.Sorted(maps.Keys(stored.Blocks)) {
		if !slices.Contains(v.blockKeys, k) {
			v.blockKeys = append(v.blockKeys, k)
		}
	}
	for _, k := range v.blockKeys {
		e, ok := v.blocks[k]
		if !ok {
			e = widget.NewMultiLineEntry()
			e.Wrapping = fyne.TextWrapWord
			e.SetMinRowsVisible(2)
			v.blocks[k] = e
			st := widget.NewLabel("")
			st.Wrapping = fyne.TextWrapWord
			v.blockState[k] = st
			e.OnChanged = func(string) { v.showBlockState(k) }
		}
		e.SetText(merged.Blocks[k])
		v.showBlockState(k)
	}
	v.phrases = merged.AdvicePhrases
	v.phraseKeys = slices.Sorted(maps.Keys(v.phrases))
	v.phraseSel = -1
	v.phraseList.UnselectAll()
	v.phraseList.Refresh()
	v.phraseEdit.SetText("")
	v.phraseEdit.Disable()
	v.phraseReset.Disable()
	for _, d := range imageDocs {
		o := stored.Images[d.doc]
		v.seals[d.doc].SetChecked(o.Seal)
		v.signatures[d.doc].SetChecked(o.Signature && d.signature)
	}
	seal, err := v.env.Services.DocumentSettings.SealImage(v.env.Ctx)
	if err != nil {
		setMsg(v.msg, app.ErrorMessage(err))
	}
	v.showSeal(seal)
}

// showBlockState says whether a block has the default wording, and shows the default when not.
func (v *documentSettingsScreen) showBlockState(key string) {
	st := v.blockState[key]
	def, known := v.defs.Block(key)
	switch {
	case !known:
		setNote(st, "（本机构自定的文字块）")
	case v.blocks[key].Text == def:
		setNote(st, "默认文字")
	case def == "":
		setWarn(st, "已修改。默认：空白")
	default:
		setWarn(st, "已修改。默认："+def)
	}
}

func (v *documentSettingsScreen) resetBlock(key string) {
	if def, ok := v.defs.Block(key); ok {
		v.blocks[key].SetText(def)
	}
}

func (v *documentSettingsScreen) selectPhrases(id widget.ListItemID) {
	if id < 0 || id >= len(v.phraseKeys) {
		return
	}
	v.phraseSel = -1 // no write-back while the text is replaced
	key := v.phraseKeys[id]
	v.phraseEdit.Enable()
	v.phraseEdit.SetText(strings.Join(v.phrases[key], "\n"))
	v.phraseSel = id
	v.phraseTitle.SetText(v.phraseLabel(key) + "：每行一条用语")
	if _, ok := v.defs.AdvicePhrases[key]; ok {
		v.phraseReset.Enable()
	} else {
		v.phraseReset.Disable()
	}
}

func (v *documentSettingsScreen) resetPhrases() {
	if v.phraseSel < 0 {
		return
	}
	v.phraseEdit.SetText(strings.Join(v.defs.AdvicePhrases[v.phraseKeys[v.phraseSel]], "\n"))
}

// addPhraseKey adds a conclusion (× hazard) to the phrase list and selects it.
func (v *documentSettingsScreen) addPhraseKey() {
	if v.addConcl.Selected == "" {
		setMsg(v.msg, "建议用语：请先选择结论")
		return
	}
	key, _, _ := strings.Cut(v.addConcl.Selected, " ")
	if h := strings.TrimSpace(v.addHazard.Text); h != "" {
		if v.env.Services.Catalogs != nil {
			if _, ok := v.env.Services.Catalogs.CodeName(app.CatalogHazards, h); !ok {
				setMsg(v.msg, fmt.Sprintf("建议用语：危害因素代码“%s”不在危害因素代码表中", h))
				return
			}
		}
		key += "/" + h
	}
	if _, ok := v.phrases[key]; !ok {
		v.phrases[key] = nil
		v.phraseKeys = slices.Sorted(maps.Keys(v.phrases))
		v.phraseList.Refresh()
	}
	v.addHazard.SetText("")
	v.phraseList.Select(slices.Index(v.phraseKeys, key))
	setNote(v.msg, "已添加“"+v.phraseLabel(key)+"”：请在右侧输入用语，然后保存。")
}

func (v *documentSettingsScreen) showSeal(png []byte) {
	v.seal = png
	if len(png) == 0 {
		v.sealImg.Resource = nil
		v.sealRemove.Disable()
	} else {
		v.sealImg.Resource = fyne.NewStaticResource("seal.png", png)
		v.sealRemove.Enable()
	}
	v.sealImg.Refresh()
	v.showSealInfo()
}

func (v *documentSettingsScreen) showSealInfo() {
	if len(v.seal) > 0 {
		setNote(v.sealInfo, fmt.Sprintf("已上传印章图片（%d KB）。只有在上方勾选的文书才打印它；其余文书留空白加盖实物印章。", (len(v.seal)+1023)/1024))
		return
	}
	for _, c := range v.seals {
		if c.Checked {
			setWarn(v.sealInfo, "尚未上传印章图片：勾选了“打印印章图片”的文书仍留空白，请上传透明背景的 PNG 印章图片。")
			return
		}
	}
	setNote(v.sealInfo, "未上传印章图片：所有文书都留空白加盖实物印章（默认）。")
}

func (v *documentSettingsScreen) chooseSeal() {
	pickFile(v.env.Window, []string{".png", ".PNG"}, imageMax, "印章图片", func(_ string, b []byte) { v.uploadSeal(b) })
}

// uploadSeal stores a seal image (nil removes it); the store checks it and audits the change.
func (v *documentSettingsScreen) uploadSeal(png []byte) {
	if err := v.env.Services.DocumentSettings.SaveSealImage(v.env.Ctx, png); err != nil {
		setMsg(v.msg, app.ErrorMessage(err))
		return
	}
	v.showSeal(png)
	if png == nil {
		setNote(v.msg, "印章图片已删除。")
	} else {
		setNote(v.msg, "印章图片已上传。")
	}
}

// texts collects what differs from the defaults.
func (v *documentSettingsScreen) texts() app.DocumentTexts {
	t := app.DocumentTexts{Blocks: map[string]string{}, AdvicePhrases: map[string][]string{}, Images: map[string]app.ImageOptions{}}
	for _, k := range v.blockKeys {
		text := strings.TrimRight(v.blocks[k].Text, " \n")
		if def, ok := v.defs.Block(k); !ok || text != def {
			t.Blocks[k] = text
		}
	}
	for k, ps := range v.phrases {
		if def, ok := v.defs.AdvicePhrases[k]; !ok && len(ps) > 0 || ok && !slices.Equal(def, ps) {
			t.AdvicePhrases[k] = slices.Clone(ps)
		}
	}
	for _, d := range imageDocs {
		o := app.ImageOptions{Seal: v.seals[d.doc].Checked, Signature: v.signatures[d.doc].Checked}
		if o.Seal || o.Signature {
			t.Images[d.doc] = o
		}
	}
	return t
}

func (v *documentSettingsScreen) saveNow() {
	if err := v.env.Services.DocumentSettings.SaveDocumentTexts(v.env.Ctx, v.texts()); err != nil {
		setMsg(v.msg, app.ErrorMessage(err))
		showError(v.env.Window, err)
		return
	}
	sel := v.phraseSel
	v.load()
	if sel >= 0 && sel < len(v.phraseKeys) {
		v.phraseList.Select(sel)
	}
	setNote(v.msg, "已保存。此后打印的文书使用新的文字与设置；已打印的不变。")
}

func (v *documentSettingsScreen) content() fyne.CanvasObject {
	v.env.setActions(v.saveNow, nil)

	var rows []fyne.CanvasObject
	for _, k := range v.blockKeys {
		title, note := k, ""
		for _, b := range v.defs.Blocks {
			if b.Key == k {
				title, note = b.Title, b.Note
			}
		}
		reset := widget.NewButton("恢复默认", func() { v.resetBlock(k) })
		if _, ok := v.defs.Block(k); !ok {
			reset.Disable()
		}
		head := container.NewBorder(nil, nil, widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), reset)
		rows = append(rows, head)
		if note != "" {
			n := widget.NewLabel(note)
			n.Wrapping = fyne.TextWrapWord
			rows = append(rows, n)
		}
		rows = append(rows, v.blocks[k], v.blockState[k], widget.NewSeparator())
	}
	textsTab := container.NewVScroll(container.NewVBox(rows...))

	add := container.NewBorder(nil, nil, withWidth(170, v.addConcl), v.addKey, v.addHazard)
	left := container.NewBorder(nil, add, nil, nil, v.phraseList)
	help := widget.NewLabel("主检医师写建议时可点选这些用语。“结论 · 危害因素”的用语排在该结论通用用语之前。")
	help.Wrapping = fyne.TextWrapWord
	right := container.NewBorder(container.NewVBox(v.phraseTitle), container.NewVBox(adminRow(v.phraseReset), help), nil, nil, v.phraseEdit)
	phrasesTab := container.NewHSplit(left, right)
	phrasesTab.SetOffset(0.4)

	grid := []fyne.CanvasObject{}
	for _, d := range imageDocs {
		grid = append(grid, widget.NewLabel(d.name), v.seals[d.doc], v.signatures[d.doc])
	}
	rule := widget.NewLabel("默认不打印任何图片：文书留出空白，加盖实物印章（多页文书另有骑缝章标记）。勾选后该类文书打印上传的印章图片或医师签名图片，修改记入审计日志。结算单不打印签名图片；诊断证明书、鉴定书等证书类文书一律不打印印章或签名图片。")
	rule.Wrapping = fyne.TextWrapWord
	sealBox := container.NewBorder(nil, nil, container.NewPadded(v.sealImg), nil,
		container.NewVBox(v.sealInfo, adminRow(v.sealUpload, v.sealRemove)))
	imagesTab := container.NewVScroll(container.NewVBox(rule, container.NewGridWithColumns(3, grid...), widget.NewSeparator(),
		widget.NewLabelWithStyle("印章图片", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), sealBox,
		widget.NewSeparator(), v.sig.content()))

	v.tabs = container.NewAppTabs(
		container.NewTabItem("文书文字", textsTab),
		container.NewTabItem("建议用语", phrasesTab),
		container.NewTabItem("印章与签名", imagesTab),
	)
	top := container.NewVBox(container.NewBorder(nil, nil, heading("文书设置"), v.save), v.msg)
	return container.NewBorder(top, nil, nil, nil, v.tabs)
}

// conclusionPhraseOptions are the 常用建议 the 主检 screen offers: its built-in phrases
// (advicePhrases), then the administrator's advice phrases of 文书设置 (defaults merged), by
// conclusion and hazard, without repeats.
func conclusionPhraseOptions(env *Env) []string {
	out := slices.Clone(advicePhrases)
	defs, err := app.ParseDocumentTextDefaults(assets.DocumentTexts)
	if err != nil || env.Services.DocumentSettings == nil {
		return out
	}
	stored, err := env.Services.DocumentSettings.DocumentTexts(env.Ctx)
	if err != nil {
		return out
	}
	merged := defs.Merge(stored)
	for _, k := range slices.Sorted(maps.Keys(merged.AdvicePhrases)) {
		for _, p := range merged.AdvicePhrases[k] {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}
