package cards

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"

	"occhealth/app"
)

// National is the 2021 national exchange format (职业病及健康危害因素监测信息系统数据交换文档规范,
// spec.txt): one DataExchange document per card (each card has its own DocumentId and
// OperateType), plus one ENTERPRISE_INFO document with every employer and 用工单位 of the
// batch. The documents travel in one zip.
type National struct{}

var (
	nationalRecord     = mustSchema("elements_national_record.tsv", "职业健康档案（HEALTH_EXAM_RECORD）")
	nationalEnterprise = mustSchema("elements_national_enterprise.tsv", "用人单位信息（ENTERPRISE_INFO）")
)

func init() { Register(National{}) }

// Format returns app.CardFormatNational.
func (National) Format() string { return app.CardFormatNational }

// Title returns the format's Chinese name.
func (National) Title() string { return "国家数据交换格式（2021）" }

// Schemas returns the record's and the employer document's element tables.
func (National) Schemas() []*Schema { return []*Schema{nationalRecord, nationalEnterprise} }

// Business codes of the DocumentId (spec.txt 128).
const (
	businessRecord     = "HEALTH_EXAM_RECORD"
	businessEnterprise = "ENTERPRISE_INFO"
	activityNEWOMAR    = "NEWOMAR"
)

// Documents encodes the employer document and one document per card.
func (n National) Documents(b *Batch) []Document {
	docs := make([]Document, len(b.views)+1)
	docs[0] = n.shared(b, viewRefs(b.views), nil, app.CardSettings{})[0]
	parallelW(len(b.views), b.workers, func(w, i int) { docs[i+1] = n.record(b, b.scratch(w), b.views[i]) })
	return docs
}

// cardDocument encodes one card's document (perCard).
func (n National) cardDocument(b *Batch, s *scratch, v *view) Document { return n.record(b, s, v) }

// shared encodes the batch's employer document from its cards' parties (perCard). The
// institution and settings are those of the cards (the first card's when refs came from
// views: inst nil).
func (n National) shared(b *Batch, refs []cardRef, inst *app.Institution, s app.CardSettings) []Document {
	return []Document{n.enterprises(b, refs, inst, s)}
}

func header(e *encoder, docID, operate string, s app.CardSettings) {
	e.Open("Header")
	e.Leaf("DocumentId", docID)
	e.Leaf("OperateType", operate)
	e.Leaf("BusinessActivityIdentification", activityNEWOMAR)
	e.Leaf("ReportZoneCode", s.ReportZoneCode)
	e.Leaf("ReportOrgCode", s.ReportOrgCode)
	e.Leaf("License", s.License)
	e.Close()
}

// auditInfo writes the audit block as far as the program knows it: not yet reported. The
// statuses after 01 are the platform's to set.
func auditInfo(e *encoder) {
	e.Open("AUDIT_INFO")
	e.Leaf("AUDITSTATUS", "01")
	e.Leaf("AUDITINFO", "")
	e.Leaf("AUDITDATE", "")
	e.Leaf("AUDITOR_NAME", "")
	e.Leaf("AUDIT_ORG", "")
	e.Close()
}

func (National) record(b *Batch, s *scratch, v *view) Document {
	e := &s.enc
	e.reset(nationalRecord, s.lookup(), b.buffer())
	e.about(v.Number, v.Subject)
	e.Open("DataExchange")
	if v.DocumentID != "" && !strings.Contains(v.DocumentID, "-"+businessRecord+"-") {
		e.problem(nil, "Header/DocumentId", "“%s”的业务类别代码应为 %s", v.DocumentID, businessRecord)
	}
	header(e, v.DocumentID, v.Operate, v.Settings)
	e.Open("EventBody")
	e.Open("HEALTH_EXAM_RECORD_LIST")
	e.Open("HEALTH_EXAM_RECORD", "ID", v.Number)
	p := v.Employer
	e.Open("ENTERPRISE_INFO")
	e.Leaf("ENTERPRISE_NAME", p.Name)
	e.Leaf("CREDIT_CODE", p.Credit)
	e.Leaf("ECONOMIC_TYPE_CODE", p.Economic)
	e.Leaf("INDUSTRY_CATEGORY_CODE", p.Industry)
	e.Leaf("BUSINESS_SCALE_CODE", p.Size)
	e.Leaf("ADDRESS_CODE", p.Area)
	e.Leaf("ADDRESS_DETAIL", p.Address)
	e.Leaf("ADDRESS_ZIP_CODE", p.Zip)
	e.Leaf("ENTERPRISE_CONTACT", p.Contact)
	e.Leaf("CONTACT_TELPHONE", p.Phone)
	e.Leaf("ALL_NAME", p.AreaName)
	e.Close()
	h := v.Host
	e.Open("ENTERPRISE_INFO_EMPLOYER")
	e.Leaf("ENTERPRISE_NAME_EMPLOYER", h.Name)
	e.Leaf("CREDIT_CODE_EMPLOYER", h.Credit)
	e.Leaf("ECONOMIC_TYPE_CODE_EMPLOYER", h.Economic)
	e.Leaf("INDUSTRY_CATEGORY_CODE_EMPLOYER", h.Industry)
	e.Leaf("BUSINESS_SCALE_CODE_EMPLOYER", h.Size)
	e.Leaf("ADDRESS_CODE_EMPLOYER", h.Area)
	e.Leaf("ALL_NAME_EMPLOYER", h.AreaName)
	e.Close()
	// 用工单位 of a 人力资源服务 (726x) employer must differ from it (spec element 16).
	if v.d.Exam != nil && v.d.Exam.HostEmployerID != 0 && strings.HasPrefix(p.Industry, "726") && h.Name == p.Name {
		e.problem(nil, "ENTERPRISE_INFO_EMPLOYER/ENTERPRISE_NAME_EMPLOYER", "用人单位属人力资源服务业时，用工单位名称不能与用人单位相同")
	}
	w := v.Worker
	e.Open("WORKER_INFO")
	e.Leaf("WORKER_NAME", w.Name)
	e.Leaf("ID_CARD_TYPE_CODE", string(w.DocType))
	e.Leaf("ID_CARD", w.IDNumber)
	e.Leaf("GENDER_CODE", string(w.Sex))
	e.Leaf("BIRTH_DATE", date(w.BirthDate))
	e.Leaf("WORKER_TELPHONE", w.Phone)
	e.Close()
	e.Leaf("JC_TYPE", "01")
	e.Leaf("EXAM_TYPE_CODE", v.ExamType)
	e.Leaf("EXAM_DATE", v.ExamDate)
	e.Leaf("CONTACT_FACTOR_CODE", strings.Join(v.Contact, ","))
	e.Leaf("CONTACT_FACTOR_OTHER", v.ContactOth)
	codes := make([]string, len(v.Examined))
	for i, x := range v.Examined {
		codes[i] = x.Code
	}
	e.Leaf("FACTOR_CODE", strings.Join(codes, ","))
	e.Leaf("FACTOR_OTHER", v.ExamOther)
	e.Leaf("WORK_TYPE_CODE", v.JobCode)
	e.Leaf("OTHER_WORK_TYPE", v.JobName)
	e.Leaf("IS_REVIEW", yesNo(v.Recheck))
	e.Leaf("AREA_CODE", v.OrgArea)
	e.Leaf("ORG_CODE", v.OrgCode)
	e.Open("EXAM_CONCLUSION_LIST")
	for _, x := range v.Examined {
		c := x.Conclusion
		e.Open("EXAM_CONCLUSION")
		e.Leaf("ITAM_CODE", x.Code)
		e.Leaf("ITAM_NAME", x.Name)
		e.Leaf("EXAM_CONCLUSION_CODE", c.Code)
		e.Leaf("YSZYB_CODE", when(c.Code == app.ConclusionSuspected, c.DiseaseCode))
		e.Leaf("ZYJJZ_NAME", when(c.Code == app.ConclusionContraindication, c.Contraindication))
		e.Leaf("QTJB_NAME", when(c.Code == app.ConclusionOther, c.Other))
		e.Leaf("HARM_START_DATE", x.Start)
		e.Leaf("HARM_AGE_YEAR", x.Years)
		e.Leaf("HARM_AGE_MONTH", x.Month)
		e.Close()
	}
	e.Close()
	e.Open("EXAM_ITEM_RESULT_LIST")
	for _, it := range v.items(s) {
		e.Open("EXAM_ITEM_RESULT")
		e.Leaf("EXAM_ITEM_PNAME", it.Parent)
		e.Leaf("EXAM_ITEM_NAME", it.Name)
		e.Leaf("EXAM_ITEM_CODE", it.Code)
		e.Leaf("EXAM_RESULT_TYPE", nationalResultType(it.Kind))
		e.Leaf("EXAM_RESULT", it.Value)
		e.Leaf("EXAM_ITEM_UNIT_CODE", it.Unit)
		e.Leaf("REFERENCE_RANGE_MIN", it.Min)
		e.Leaf("REFERENCE_RANGE_MAX", it.Max)
		e.Leaf("ABNORMAL", it.Abnormal)
		e.Close()
	}
	e.Close()
	st := v.Settings
	e.Leaf("WRITE_PERSON", st.Writer)
	e.Leaf("WRITE_PERSON_TELPHONE", st.WriterPhone)
	e.Leaf("WRITE_DATE", v.SignDate)
	e.Leaf("REPORT_ORGAN_CREDIT_CODE", v.OrgName)
	e.Leaf("REPORT_PERSON", st.Reporter)
	e.Leaf("REPORT_PERSON_TEL", st.ReporterPhone)
	e.Leaf("REPORT_DATE", v.ReportDate)
	e.Leaf("REPORT_UNIT", v.OrgName)
	e.Leaf("REMARK", v.Remark)
	auditInfo(e)
	d := Document{Name: fileName(v.DocumentID, v.Number) + ".xml", Data: e.End(), Problems: e.problems}
	b.seal(&d)
	return d
}

// enterprises encodes the employer document: every distinct employer and 用工单位 of the
// batch by credit code, in credit-code order. Its DocumentId is derived from the batch (the
// earliest card's time stamp and a hash of the batch ID and codes), so that it is the same
// whenever the same batch is exported again. The organisation and settings are the first
// card's (refs[0].org when set, else inst and s).
func (National) enterprises(b *Batch, refs []cardRef, inst *app.Institution, s app.CardSettings) Document {
	ems := batchEmployers(refs)
	var org, stamp string
	for _, r := range refs {
		if p := strings.Split(r.DocumentID, "-"); len(p) == 4 && len(p[2]) == 17 {
			if stamp == "" || p[2] < stamp {
				stamp = p[2]
			}
			if org == "" {
				org = p[0]
			}
		}
	}
	h := sha256.New()
	h.Write([]byte(b.ID))
	for _, x := range ems {
		h.Write([]byte{0})
		h.Write([]byte(x.key))
	}
	docID := ""
	if org != "" && stamp != "" {
		docID = fmt.Sprintf("%s-%s-%s-%05d", org, businessEnterprise, stamp, binary.BigEndian.Uint32(h.Sum(nil))%100000)
	}
	e := newEncoder(nationalEnterprise, b.lookup(), nil)
	e.Open("DataExchange")
	var orgName, orgCode, orgArea, writeDate string
	if len(refs) > 0 {
		first := refs[0]
		if first.view != nil {
			inst, s = first.view.d.Institution, first.view.Settings
		}
		if inst != nil {
			orgName, orgCode, orgArea = inst.Name, inst.Code, area9(inst.AreaCode)
		}
		writeDate, _ = reportDate(first.DocumentID)
	}
	header(e, docID, app.CardAdd, s)
	e.Open("EventBody")
	e.Open("ENTERPRISE_INFO_LIST")
	for _, x := range ems {
		p := x.party
		e.about("", x.subject())
		e.Open("ENTERPRISE_INFO", "id", p.Credit)
		e.Leaf("ENTERPRISE_NAME", p.Name)
		e.Leaf("CREDIT_CODE", p.Credit)
		e.Leaf("ADDRESS_CODE", p.Area)
		e.Leaf("ECONOMIC_TYPE_CODE", p.Economic)
		e.Leaf("INDUSTRY_CATEGORY_CODE", p.Industry)
		e.Leaf("BUSINESS_SCALE_CODE", p.Size)
		e.Leaf("ADDRESS_DETAIL", p.Address)
		e.Leaf("ADDRESS_ZIP_CODE", p.Zip)
		e.Leaf("ENTERPRISE_CONTACT", p.Contact)
		e.Leaf("CONTACT_TELPHONE", p.Phone)
		e.Leaf("ISSUBSIDIARY", "0")
		e.Leaf("TWOLEVELCODE", "")
		e.Leaf("AREA_CODE", orgArea)
		e.Leaf("ORG_CODE", orgCode)
		e.Leaf("WRITE_UNIT", orgName)
		e.Leaf("WRITE_PERSON", s.Writer)
		e.Leaf("WRITE_PERSON_TEL", s.WriterPhone)
		e.Leaf("WRITE_DATE", writeDate)
		e.Leaf("REPORT_UNIT", orgName)
		e.Leaf("REPORT_PERSON", s.Reporter)
		e.Leaf("REPORT_PERSON_TEL", s.ReporterPhone)
		e.Leaf("REPORT_DATE", writeDate)
		auditInfo(e)
		e.Close()
	}
	e.about("", "")
	d := Document{Name: fileName(docID, "ENTERPRISE_INFO") + ".xml", Data: e.End(), Problems: e.problems}
	b.seal(&d)
	return d
}

func nationalResultType(k app.ResultKind) string {
	switch k {
	case app.ResultNumeric:
		return "01"
	case app.ResultText:
		return "02"
	case app.ResultCode:
		return "03"
	}
	return ""
}

func yesNo(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func when(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}

// fileName makes a safe file name of a DocumentId (or the fallback when there is none).
func fileName(id, fallback string) string {
	if id == "" {
		id = fallback
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, id)
}
