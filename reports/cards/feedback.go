package cards

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"occhealth/app"
)

// The platform's feedback, in the forms ReadFeedback accepts (docs/card-formats.md):
//
//   - a table (.csv or .xlsx, read by the caller into rows) with a header row naming an
//     identifier column (体检号/档案编号/个案卡编号/数据唯一标识 or DocumentId/文档标识), a status
//     column (状态/审核状态/上报状态) and optionally a reason (原因/退回原因/审核意见) and a date
//     (日期/审核时间);
//   - the platform's XML echoing the exchange documents with AUDIT_INFO filled in (national:
//     Header/DocumentId, HEALTH_EXAM_RECORD ID, AUDITSTATUS, AUDITINFO, AUDITDATE; Hubei-style:
//     reportCard with cardInfo/code or documentId and auditStatus, auditInfo/auditDesc, auditDate).
//
// A status is a code of the 审核状态代码表 (spec.txt 2497: 02/11/12/13 待审核 and 03/05/07/09
// 审核通过 mean the platform has the card, 04/06/08/10 审核未通过 send it back, 01 待上报 means
// not yet received), a Chinese word (已上报, 审核通过, 退回, 未通过 …), or a return code of
// the local interfaces REFERENCE §6.3 records (codes.tsv return_code). Every line must be
// readable: the first bad lines are named and nothing is returned.

var (
	idHeaders     = []string{"体检号", "体检编号", "档案编号", "个案卡编号", "卡片编号", "编号", "数据唯一标识", "id", "code", "examnumber"}
	docHeaders    = []string{"documentid", "文档标识", "文档标识id", "文档id"}
	statusHeaders = []string{"状态", "审核状态", "审核状态代码", "上报状态", "处理结果", "结果", "status", "auditstatus", "返回码"}
	reasonHeaders = []string{"原因", "退回原因", "审核意见", "说明", "备注", "reason", "auditinfo", "auditdesc", "返回信息"}
	dateHeaders   = []string{"日期", "审核时间", "审核日期", "时间", "反馈时间", "date", "auditdate", "audittime"}
)

func headerIndex(row []string, names []string) int {
	for i, h := range row {
		k := strings.ToLower(strings.Join(strings.Fields(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))), ""))
		k = strings.NewReplacer("_", "", "（", "(", "）", ")").Replace(k)
		if j := strings.IndexByte(k, '('); j > 0 {
			k = k[:j]
		}
		for _, n := range names {
			if k == n {
				return i
			}
		}
	}
	return -1
}

// ParseFeedback reads the rows of a feedback table. lines are the rows' numbers in the file
// (nil: 1-based row order).
func ParseFeedback(rows [][]string, lines []int) ([]app.CardFeedback, error) {
	lineNo := func(i int) int {
		if i < len(lines) {
			return lines[i]
		}
		return i + 1
	}
	head := -1
	var id, doc, st, rs, dt int
	for i := 0; i < len(rows) && i < 10; i++ {
		id, doc, st = headerIndex(rows[i], idHeaders), headerIndex(rows[i], docHeaders), headerIndex(rows[i], statusHeaders)
		if (id >= 0 || doc >= 0) && st >= 0 {
			head = i
			rs, dt = headerIndex(rows[i], reasonHeaders), headerIndex(rows[i], dateHeaders)
			break
		}
	}
	if head < 0 {
		return nil, app.Errorf(app.EINVALID, "反馈文件的前 10 行中没有表头：需要“体检号”（或“DocumentId”）和“状态”两列")
	}
	cell := func(r []string, i int) string {
		if i < 0 || i >= len(r) {
			return ""
		}
		return strings.TrimSpace(r[i])
	}
	var out []app.CardFeedback
	var bad []string
	for i := head + 1; i < len(rows); i++ {
		r := rows[i]
		if strings.TrimSpace(strings.Join(r, "")) == "" {
			continue
		}
		fb := app.CardFeedback{ExamNumber: cell(r, id), DocumentID: cell(r, doc)}
		if fb.ExamNumber == "" && fb.DocumentID == "" {
			bad = append(bad, fmt.Sprintf("第 %d 行：没有体检号或 DocumentId", lineNo(i)))
			continue
		}
		s, reason, ok := ParseStatus(cell(r, st), cell(r, rs))
		if !ok {
			bad = append(bad, fmt.Sprintf("第 %d 行：状态“%s”无法识别", lineNo(i), cell(r, st)))
			continue
		}
		fb.Status, fb.Reason = s, reason
		if v := cell(r, dt); v != "" {
			t, ok := parseFeedbackTime(v)
			if !ok {
				bad = append(bad, fmt.Sprintf("第 %d 行：日期“%s”无法识别", lineNo(i), v))
				continue
			}
			fb.At = t
		}
		if fb.Status == app.CardReturned && fb.Reason == "" {
			bad = append(bad, fmt.Sprintf("第 %d 行：退回须写明原因", lineNo(i)))
			continue
		}
		out = append(out, fb)
	}
	if len(bad) > 0 {
		return nil, feedbackError(bad)
	}
	if len(out) == 0 {
		return nil, app.Errorf(app.EINVALID, "反馈文件中没有数据行")
	}
	return out, nil
}

func feedbackError(bad []string) error {
	msg := fmt.Sprintf("反馈文件有 %d 行无法读取，未导入任何状态：", len(bad))
	for i, b := range bad {
		if i == 20 {
			msg += fmt.Sprintf("\n……另有 %d 行", len(bad)-20)
			break
		}
		msg += "\n" + b
	}
	return app.Errorf(app.EINVALID, "%s", msg)
}

// ParseStatus maps a platform status (an audit status code, a return code or a Chinese word)
// to a card status, and gives the reason to keep: the platform's words, prefixed with what
// the status code means.
func ParseStatus(status, reason string) (app.CardStatus, string, bool) {
	s := strings.TrimSpace(status)
	if s == "" {
		return "", "", false
	}
	join := func(name string) string {
		if reason == "" {
			return name
		}
		if name == "" {
			return reason
		}
		return name + "：" + reason
	}
	if len(s) == 1 && s[0] >= '0' && s[0] <= '9' {
		s = "0" + s
	}
	for _, c := range codeTables["audit_status"].Codes { // the status's name: 省级审核未通过
		if c.Name == s {
			s = c.Code
		}
	}
	if c, ok := codeTables["audit_status"].byCode[s]; ok {
		switch s {
		case "01":
			return app.CardExported, join(c.Name), true
		case "04", "06", "08", "10":
			return app.CardReturned, join(c.Name), true
		}
		return app.CardReported, join(c.Name), true
	}
	if c, ok := codeTables["return_code"].byCode[strings.TrimPrefix(s, "0")]; ok {
		return app.CardReturned, join(c.Code + " " + c.Name), true
	}
	switch strings.ToLower(s) {
	case "已上报", "上报成功", "成功", "已接收", "接收成功", "审核通过", "通过", "待审核", "已审核", "reported", "ok", "success":
		return app.CardReported, reason, true
	case "退回", "已退回", "审核未通过", "未通过", "审核不通过", "不通过", "驳回", "失败", "上报失败", "returned", "rejected", "fail", "failed":
		return app.CardReturned, join(""), true
	case "已导出", "待上报", "exported":
		return app.CardExported, reason, true
	}
	return "", "", false
}

func parseFeedbackTime(s string) (time.Time, bool) {
	loc := time.FixedZone("CST", 8*3600)
	for _, layout := range []string{"20060102150405", "20060102", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02", "2006/1/2 15:04:05", "2006/1/2 15:04", "2006/1/2", "2006.1.2", "2006年1月2日"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ReadFeedbackXML reads feedback in the platform's XML: every HEALTH_EXAM_RECORD (national)
// or reportCard (Hubei-style) that carries an audit status.
func ReadFeedbackXML(data []byte) ([]app.CardFeedback, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	type rec struct{ id, code, status, reason, date string }
	var out []app.CardFeedback
	var bad []string
	var docID string
	var cur *rec
	var text strings.Builder
	n := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, app.Errorf(app.EINVALID, "反馈文件不是有效的 XML：%v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			text.Reset()
			switch t.Name.Local {
			case "HEALTH_EXAM_RECORD", "reportCard":
				cur = &rec{}
				for _, a := range t.Attr {
					if strings.EqualFold(a.Name.Local, "id") {
						cur.id = a.Value
					}
				}
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			v := strings.TrimSpace(text.String())
			text.Reset()
			switch t.Name.Local {
			case "DocumentId", "documentId":
				if cur != nil {
					cur.code = v
				} else {
					docID = v
				}
			case "code":
				if cur != nil && cur.id == "" {
					cur.id = v
				}
			case "AUDITSTATUS", "auditStatus":
				if cur != nil {
					cur.status = v
				}
			case "AUDITINFO", "auditInfo", "auditDesc":
				if cur != nil {
					cur.reason = v
				}
			case "AUDITDATE", "auditDate", "auditTime":
				if cur != nil {
					cur.date = v
				}
			case "HEALTH_EXAM_RECORD", "reportCard":
				n++
				if cur != nil && cur.status != "" {
					fb := app.CardFeedback{ExamNumber: cur.id, DocumentID: cur.code}
					if fb.DocumentID == "" {
						fb.DocumentID = docID
					}
					s, reason, ok := ParseStatus(cur.status, cur.reason)
					if !ok {
						bad = append(bad, fmt.Sprintf("第 %d 份（%s）：审核状态“%s”无法识别", n, fb.ExamNumber, cur.status))
					} else {
						fb.Status, fb.Reason = s, reason
						if cur.date != "" {
							fb.At, _ = parseFeedbackTime(cur.date)
						}
						out = append(out, fb)
					}
				}
				cur = nil
			}
		}
	}
	if len(bad) > 0 {
		return nil, feedbackError(bad)
	}
	if len(out) == 0 {
		return nil, app.Errorf(app.EINVALID, "反馈文件中没有带审核状态的个案卡")
	}
	return out, nil
}
