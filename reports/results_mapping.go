package reports

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"sync"

	"occhealth/app"
	"occhealth/assets"
)

// The default mapping of a new source is guessed from its headers: the exam number under
// its usual names, lab abbreviations and Chinese names, audiometer columns (左耳500Hz, L500,
// 右耳4k), spirometry, the chest film reading, and otherwise the national item names of the
// 健康指标代码表. The guess is only a start: the user checks it on the mapping screen and
// saves it per source.

// examNumberHeaders are the names LIS and device software give the exam number or barcode.
var examNumberHeaders = []string{
	"体检号", "体检编号", "体检条码", "体检条码号", "条码号", "条码", "条形码", "条形码号", "样本号", "样本编号", "样本条码",
	"标本号", "标本条码", "标本条码号", "申请单号", "检验条码", "BARCODE", "SAMPLEID", "SAMPLENO", "SAMPLE_ID", "EXAMNO",
}

// resultSynonyms maps usual headers (upper case, see guessKey) to national item codes.
var resultSynonyms = map[string][]string{
	// 血常规 (G0101)
	"4010100": {"WBC", "白细胞", "白细胞计数", "白细胞总数", "WBC#"},
	"4010200": {"NEUT#", "NEU#", "GRAN#", "中性粒细胞计数", "中性粒细胞绝对值", "中性粒细胞数", "中性细胞计数"},
	"4010300": {"NEUT%", "NEU%", "GRAN%", "中性粒细胞百分比", "中性粒细胞百分率", "中性粒细胞比率", "中性细胞百分比"},
	"4010400": {"LYMPH#", "LYM#", "淋巴细胞计数", "淋巴细胞绝对值", "淋巴细胞数"},
	"4010500": {"LYMPH%", "LYM%", "淋巴细胞百分比", "淋巴细胞百分率", "淋巴细胞比率"},
	"4010600": {"MONO#", "MON#", "单核细胞计数", "单核细胞绝对值"},
	"4010700": {"MONO%", "MON%", "单核细胞百分比", "单核细胞百分率"},
	"4010800": {"EO#", "EOS#", "嗜酸性粒细胞计数", "嗜酸粒细胞计数"},
	"4010900": {"EO%", "EOS%", "嗜酸性粒细胞百分比", "嗜酸粒细胞百分比"},
	"4011000": {"BASO#", "BAS#", "嗜碱性粒细胞计数", "嗜碱粒细胞计数"},
	"4011100": {"BASO%", "BAS%", "嗜碱性粒细胞百分比", "嗜碱粒细胞百分比"},
	"4011600": {"RBC", "红细胞", "红细胞计数", "红细胞数"},
	"4011700": {"HCT", "红细胞压积", "红细胞比容", "红细胞容积比"},
	"4011800": {"MCV", "平均红细胞体积"},
	"4012000": {"HGB", "HB", "血红蛋白", "血红蛋白浓度", "血色素"},
	"4012100": {"MCH", "平均红细胞血红蛋白含量", "平均血红蛋白含量"},
	"4012200": {"MCHC", "平均红细胞血红蛋白浓度", "平均血红蛋白浓度"},
	"4013600": {"RDW-SD", "RDWSD", "红细胞分布宽度SD", "红细胞分布宽度-SD"},
	"4013700": {"RDW-CV", "RDWCV", "RDW", "红细胞分布宽度CV", "红细胞分布宽度-CV", "红细胞分布宽度"},
	"4012600": {"PLT", "血小板", "血小板计数", "血小板数"},
	"4012700": {"MPV", "平均血小板体积", "平均血小板容积"},
	"4012800": {"PDW", "血小板分布宽度", "血小板体积分布宽度"},
	"4014300": {"PCT", "血小板压积", "血小板比容"},
	// 尿常规 (G0102); GLU, BIL and the like mean the urine test only in a urine file (see
	// GuessResultMapping).
	"4020100": {"SG", "比重", "尿比重"},
	"4020200": {"PH", "尿酸碱度", "尿PH", "酸碱度"},
	"4020300": {"LEU", "尿白细胞", "白细胞酯酶"},
	"4020400": {"NIT", "亚硝酸盐", "尿亚硝酸盐"},
	"4020500": {"PRO", "尿蛋白", "尿蛋白质", "蛋白质"},
	"4020600": {"尿糖", "尿葡萄糖", "尿液葡萄糖"},
	"4020700": {"KET", "酮体", "尿酮体"},
	"4020800": {"URO", "UBG", "尿胆原"},
	"4020900": {"尿胆红素"},
	"4021000": {"BLD", "ERY", "隐血", "尿隐血", "尿潜血"},
	// 肝功能 (G0103), 肾功能 (G0106)
	"4040900": {"ALT", "GPT", "谷丙转氨酶", "丙氨酸氨基转移酶", "丙氨酸转氨酶", "血清谷丙转氨酶"},
	"4041000": {"AST", "GOT", "谷草转氨酶", "天门冬氨酸氨基转移酶", "天冬氨酸氨基转移酶", "血清谷草转氨酶"},
	"4041600": {"GGT", "Γ-GT", "γ-GT", "谷氨酰转肽酶", "Γ-谷氨酰转肽酶", "γ-谷氨酰转肽酶", "谷氨酰转移酶"},
	"4041700": {"ALP", "AKP", "碱性磷酸酶"},
	"4040100": {"TP", "总蛋白"},
	"4040200": {"ALB", "白蛋白"},
	"4040300": {"GLB", "GLO", "球蛋白"},
	"4040400": {"A/G", "白球比", "白蛋白/球蛋白"},
	"4042800": {"TBIL", "T-BIL", "TBI", "总胆红素"},
	"4042900": {"DBIL", "D-BIL", "直接胆红素"},
	"4043000": {"IBIL", "I-BIL", "间接胆红素"},
	"4320100": {"BUN", "UREA", "尿素", "尿素氮"},
	"4320200": {"CR", "CREA", "SCR", "肌酐", "血肌酐"},
	"4320400": {"UA", "URIC", "尿酸", "血尿酸"},
	// 血糖 (G0105)
	"4070500": {"GLU", "FBG", "FPG", "血糖", "空腹血糖", "葡萄糖", "血清葡萄糖"},
	// 肺功能 (G1201)
	"3020100": {"FVC", "FVC%", "FVC%PRED", "用力肺活量"},
	"3020200": {"FEV1", "FEV1.0", "FEV1%PRED", "第一秒用力呼气容积", "一秒量", "第一秒时间肺活量"},
	"3020300": {"FEV1/FVC", "FEV1/FVC%", "FEV1%", "FEV1.0/FVC", "一秒率"},
	"3021700": {"肺功能结论", "肺功能诊断", "肺通气功能结论"},
	// 胸片 (G1101), 心电图 (G0901)
	"3080200": {"胸片结论", "胸片", "胸片诊断", "胸片结果", "DR结论", "DR诊断", "胸部DR", "胸部X线", "胸片读片结果"},
	"3060100": {"心电图", "心电图结论", "心电图诊断", "ECG", "心电图结果"},
}

// urineOnly are headers that mean a urine test when the file is a urine panel.
var urineOnly = map[string]string{"GLU": "4020600", "BIL": "4020900", "LEU": "4020300", "PRO": "4020500"}

// audiogramHeader matches audiometer columns: 左耳500Hz, 左耳 500Hz（气导）, L500, 右4K, R-1000,
// 右耳骨导2000Hz.
var audiogramHeader = regexp.MustCompile(`^(左耳|右耳|左|右|L|R)[-_]?(气导|骨导|AC|BC)?[-_]?(\d+(?:\.\d+)?)(K|KHZ|HZ)?(\((气导|骨导|AC|BC)\))?(\(DB(HL)?\))?$`)

var (
	guessOnce  sync.Once
	guessIndex map[string]string // guessKey → item code
)

// loadGuessIndex builds the header index: exam number names, synonyms, then the catalog's item
// names (with and without their bracketed abbreviation), items of the item groups first.
func loadGuessIndex() {
	guessIndex = map[string]string{}
	for _, h := range examNumberHeaders {
		guessIndex[guessKey(h)] = app.ImportKeyExamNumber
	}
	for code, names := range resultSynonyms {
		for _, n := range names {
			guessIndex[guessKey(n)] = code
		}
	}
	var items struct {
		Entries []struct{ Code, Name string }
	}
	var groups struct {
		Groups []struct{ Items []string }
	}
	if b, err := fs.ReadFile(assets.Catalogs, "catalog/items.json"); err == nil {
		_ = json.Unmarshal(b, &items)
	}
	if b, err := fs.ReadFile(assets.Rules, "rules/item_groups.json"); err == nil {
		_ = json.Unmarshal(b, &groups)
	}
	inGroup := map[string]bool{}
	for _, g := range groups.Groups {
		for _, c := range g.Items {
			inGroup[c] = true
		}
	}
	add := func(key, code string) {
		if _, ok := guessIndex[key]; !ok && key != "" {
			guessIndex[key] = code
		}
	}
	for _, pass := range []bool{true, false} {
		for _, e := range items.Entries {
			if len(e.Code) != 7 || strings.HasSuffix(e.Code, "0000") || inGroup[e.Code] != pass {
				continue // top-level chapters and groups are not results
			}
			add(guessKey(e.Name), e.Code)
			add(guessKey(normalizeHeader(e.Name)), e.Code)
		}
	}
}

// guessKey folds a header for the guess: headerKey, and Chinese punctuation to ASCII.
func guessKey(s string) string {
	return strings.NewReplacer("（", "(", "）", ")", "％", "%", "＃", "#", "／", "/").Replace(headerKey(s))
}

// guessColumn returns the key and item code a header suggests (Key "ignore" when none).
func guessColumn(header string) (string, string) {
	guessOnce.Do(loadGuessIndex)
	k := guessKey(header)
	if k == "" {
		return app.ImportKeyIgnore, ""
	}
	try := []string{k}
	if n := guessKey(normalizeHeader(header)); n != k {
		try = append(try, n) // "白细胞(WBC)", "ALT(U/L)", "*体检号"
	}
	// "WBC 白细胞" or "白细胞WBC" as one header: the letters alone.
	if ascii := strings.TrimFunc(k, func(r rune) bool { return r > 0x7f }); ascii != k && ascii != "" {
		try = append(try, ascii)
	}
	for _, t := range try {
		if code, ok := guessIndex[t]; ok {
			if code == app.ImportKeyExamNumber {
				return app.ImportKeyExamNumber, ""
			}
			return app.ImportKeyItem, code
		}
	}
	if m := audiogramHeader.FindStringSubmatch(k); m != nil {
		if code := audiogramCode(m[1], m[2]+m[6], m[3], m[4]); code != "" {
			return app.ImportKeyItem, code
		}
	}
	return app.ImportKeyIgnore, ""
}

// audiogramCodes are the national codes of air and bone conduction hearing levels per ear
// and frequency (the measure codes of assets/rules/criteria.json, audiogram_items).
var audiogramCodes = map[string]map[string]string{
	"air_left":   {"250": "3041500", "500": "3040100", "1000": "3040200", "2000": "3040300", "3000": "3040400", "4000": "3040500", "6000": "3040600", "8000": "3040700"},
	"air_right":  {"250": "3041600", "500": "3040800", "1000": "3040900", "2000": "3041000", "3000": "3041100", "4000": "3041200", "6000": "3041300", "8000": "3041400"},
	"bone_left":  {"250": "3051900", "500": "3050100", "1000": "3050200", "2000": "3050300", "3000": "3050400", "4000": "3050500", "6000": "3050600", "8000": "3050700"},
	"bone_right": {"250": "3052000", "500": "3050800", "1000": "3050900", "2000": "3051000", "3000": "3051100", "4000": "3051200", "6000": "3051300", "8000": "3051400"},
}

func audiogramCode(ear, conduction, freq, unit string) string {
	key := "air_"
	if strings.Contains(conduction, "骨导") || strings.Contains(conduction, "BC") {
		key = "bone_"
	}
	if strings.HasPrefix(ear, "左") || ear == "L" {
		key += "left"
	} else {
		key += "right"
	}
	f := freq
	if unit == "K" || unit == "KHZ" || strings.Contains(freq, ".") {
		// 0.5k, 4k
		var whole, frac string
		whole, frac, _ = strings.Cut(freq, ".")
		frac = (frac + "000")[:3]
		f = strings.TrimLeft(whole+frac, "0")
	}
	return audiogramCodes[key][f]
}

// GuessResultMapping proposes a mapping for a file's headers: the exam number column, item
// columns it recognises (with the unit when the header carries one, "ALT(U/L)"), the rest
// ignored. Urine panel abbreviations (GLU, PRO, BIL, LEU) mean urine tests when the file
// has other urine columns. Only the first column of an item is mapped.
func GuessResultMapping(headers []string) app.ResultMapping {
	var m app.ResultMapping
	urine := 0
	for _, h := range headers {
		if k, code := guessColumn(h); k == app.ImportKeyItem && strings.HasPrefix(code, "402") {
			urine++
		}
	}
	exam := false
	used := map[string]bool{}
	for _, h := range headers {
		c := app.ResultImportColumn{Header: h, Key: app.ImportKeyIgnore}
		k, code := guessColumn(h)
		if u, ok := urineOnly[guessKey(normalizeHeader(h))]; ok && urine >= 2 {
			k, code = app.ImportKeyItem, u
		}
		switch {
		case k == app.ImportKeyExamNumber && !exam:
			c.Key, exam = k, true
		case k == app.ImportKeyItem && !used[code]:
			c.Key, c.ItemCode, c.Unit = k, code, headerUnit(h)
			used[code] = true
		}
		m.Columns = append(m.Columns, c)
	}
	return m
}

// headerUnit returns the unit a header carries in brackets ("WBC(10^9/L)" → "10^9/L"), or "".
func headerUnit(h string) string {
	h = strings.NewReplacer("（", "(", "）", ")").Replace(h)
	i, j := strings.LastIndex(h, "("), strings.LastIndex(h, ")")
	if i < 0 || j < i {
		return ""
	}
	u := strings.TrimSpace(h[i+1 : j])
	// Lab units typed in ASCII: 10^9/L, 10*9/L, 10E9/L → ×10⁹/L, as the reference ranges write them.
	for _, p := range []struct{ exp, sup string }{{"12", "¹²"}, {"9", "⁹"}} {
		for _, a := range []string{"10^", "10*", "10E", "10e"} {
			if strings.HasPrefix(u, a+p.exp+"/") || strings.HasPrefix(u, "×"+a+p.exp+"/") || strings.HasPrefix(u, "X"+a+p.exp+"/") {
				return "×10" + p.sup + u[strings.Index(u, "/"):]
			}
		}
	}
	switch {
	case strings.ContainsAny(u, "/%^×"), strings.EqualFold(u, "dB"), strings.EqualFold(u, "dBHL"), u == "L", u == "mL", u == "s", u == "kPa", u == "mmHg":
		return u
	}
	return ""
}
