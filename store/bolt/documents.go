package bolt

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"image/png"
	"slices"
	"sort"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/store/kv"
)

// Document settings, the print log and the working-day calendar.
var (
	bucketDocSettings   = []byte("doc_settings")   // fixed keys → settings records
	bucketPrintLog      = []byte("print_log")      // print ID → PrintRecord
	bucketPrintExam     = []byte("print_exam")     // exam ID + print ID → nil
	bucketPrintContract = []byte("print_contract") // contract ID + print ID → nil
	documentBuckets     = [][]byte{bucketDocSettings, bucketPrintLog, bucketPrintExam, bucketPrintContract}
)

// Keys of bucketDocSettings (8-byte IDs, so that the audit check finds them).
const (
	keyDocTexts uint64 = 1
	keySeal     uint64 = 2
	keyCalendar uint64 = 3
)

const (
	entityDocSettings = "doc_settings"
	entityPrint       = "print"
)

func init() {
	entityBuckets[entityDocSettings] = bucketDocSettings
	entityBuckets[entityPrint] = bucketPrintLog
}

// sealRecord points at the seal image in the attachment folder.
type sealRecord struct {
	SHA256    string
	Size      int64
	UpdatedAt time.Time
	UpdatedBy string
}

// DocumentService implements app.DocumentSettingsService, app.PrintLogService and
// app.CalendarService.
type DocumentService struct{ db *DB }

var (
	_ app.DocumentSettingsService = (*DocumentService)(nil)
	_ app.PrintLogService         = (*DocumentService)(nil)
	_ app.CalendarService         = (*DocumentService)(nil)
)

// NewDocumentService returns the document settings, print log and calendar of db.
func NewDocumentService(db *DB) *DocumentService { return &DocumentService{db: db} }

// DocumentTexts returns the stored text blocks (empty maps when the defaults are in force).
func (s *DocumentService) DocumentTexts(ctx context.Context) (*app.DocumentTexts, error) {
	t := &app.DocumentTexts{}
	err := s.db.view(ctx, "DocumentSettingsService.DocumentTexts", func(tx kv.Tx, _ app.Scope) error {
		_, _, err := get(tx, bucketDocSettings, keyDocTexts, t)
		return err
	})
	if err != nil {
		return nil, err
	}
	if t.Blocks == nil {
		t.Blocks = map[string]string{}
	}
	if t.AdvicePhrases == nil {
		t.AdvicePhrases = map[string][]string{}
	}
	if t.Images == nil {
		t.Images = map[string]app.ImageOptions{}
	}
	return t, nil
}

// SaveDocumentTexts replaces the text blocks, phrases and image options.
func (s *DocumentService) SaveDocumentTexts(ctx context.Context, t app.DocumentTexts) error {
	if _, err := app.Authorize(ctx, "DocumentSettingsService.SaveDocumentTexts"); err != nil {
		return err
	}
	var es app.Errors
	for k, v := range t.Blocks {
		if strings.TrimSpace(k) == "" {
			es = append(es, app.FieldError("文书文字", "有一段文字没有名称"))
		}
		if len([]rune(v)) > 4000 {
			es = append(es, app.FieldError("文书文字", "“%s”超过 4000 字", k))
		}
	}
	for k, ps := range t.AdvicePhrases {
		for _, p := range ps {
			if strings.TrimSpace(p) == "" {
				es = append(es, app.FieldError("建议用语", "“%s”中有空的用语", k))
				break
			}
		}
	}
	for doc, o := range t.Images {
		if o.Signature && doc != app.DocReport { // only the report prints its signer's image
			es = append(es, app.FieldError("印章与签名", "%s 不能打印签名图片", doc))
		}
	}
	if err := es.Err(); err != nil {
		return err
	}
	return s.db.update(ctx, "DocumentSettingsService.SaveDocumentTexts", func(tx *txn) error {
		old := tx.tx.Bucket(bucketDocSettings).Get(itob(keyDocTexts))
		old = append([]byte(nil), old...)
		t.UpdatedAt, t.UpdatedBy = tx.now, tx.username()
		enc, err := tx.put(bucketDocSettings, keyDocTexts, &t)
		if err != nil {
			return err
		}
		if len(old) == 0 {
			old = nil
		}
		return tx.audit("DocumentSettingsService.SaveDocumentTexts", entityDocSettings, keyDocTexts, old, enc, "文书文字与印章设置")
	})
}

// SealImage returns the uploaded seal (PNG), nil when none.
func (s *DocumentService) SealImage(ctx context.Context) ([]byte, error) {
	var rec sealRecord
	var ok bool
	err := s.db.view(ctx, "DocumentSettingsService.SealImage", func(tx kv.Tx, _ app.Scope) error {
		var err error
		_, ok, err = get(tx, bucketDocSettings, keySeal, &rec)
		return err
	})
	if err != nil || !ok || rec.SHA256 == "" {
		return nil, err
	}
	return s.db.readAttachment(rec.SHA256)
}

// SaveSealImage stores a PNG seal image (nil or empty removes it).
func (s *DocumentService) SaveSealImage(ctx context.Context, data []byte) error {
	if _, err := app.Authorize(ctx, "DocumentSettingsService.SaveSealImage"); err != nil {
		return err
	}
	rec := sealRecord{}
	if len(data) > 0 {
		if len(data) > 2<<20 {
			return app.FieldError("印章图片", "图片超过 2 MB")
		}
		if _, err := png.DecodeConfig(bytes.NewReader(data)); err != nil {
			return app.FieldError("印章图片", "不是 PNG 图片（请用透明背景的 PNG）")
		}
		sum, err := s.db.writeAttachment(data)
		if err != nil {
			return err
		}
		rec.SHA256, rec.Size = sum, int64(len(data))
	}
	return s.db.update(ctx, "DocumentSettingsService.SaveSealImage", func(tx *txn) error {
		old := append([]byte(nil), tx.tx.Bucket(bucketDocSettings).Get(itob(keySeal))...)
		if len(old) == 0 {
			old = nil
		}
		rec.UpdatedAt, rec.UpdatedBy = tx.now, tx.username()
		enc, err := tx.put(bucketDocSettings, keySeal, &rec)
		if err != nil {
			return err
		}
		note := "上传印章图片"
		if rec.SHA256 == "" {
			note = "删除印章图片"
		}
		return tx.audit("DocumentSettingsService.SaveSealImage", entityDocSettings, keySeal, old, enc, note)
	})
}

// signatureRecord points at a user's signature image in the attachment folder.
type signatureRecord struct {
	Login     string
	SHA256    string
	Size      int64
	UpdatedAt time.Time
	UpdatedBy string
}

// signatureKey is the bucketDocSettings key of a user's signature record: an FNV-1a hash of
// the login in [1<<62, 1<<63), so that it never meets the fixed keys and stays a positive
// int64 for the audit log. The record keeps the login, so a (very unlikely) collision is
// refused instead of mixing two users' images.
func signatureKey(login string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(login))
	return h.Sum64()&(1<<62-1) | 1<<62
}

// SignatureImage returns the uploaded signature (PNG) of login, nil when none.
func (s *DocumentService) SignatureImage(ctx context.Context, login string) ([]byte, error) {
	login = strings.TrimSpace(login)
	var rec signatureRecord
	var ok bool
	err := s.db.view(ctx, "DocumentSettingsService.SignatureImage", func(tx kv.Tx, _ app.Scope) error {
		if login == "" {
			return nil
		}
		var err error
		_, ok, err = get(tx, bucketDocSettings, signatureKey(login), &rec)
		return err
	})
	if err != nil || !ok || rec.SHA256 == "" || rec.Login != login {
		return nil, err
	}
	return s.db.readAttachment(rec.SHA256)
}

// SaveSignatureImage stores a user's PNG signature image (nil or empty removes it).
func (s *DocumentService) SaveSignatureImage(ctx context.Context, login string, data []byte) error {
	if _, err := app.Authorize(ctx, "DocumentSettingsService.SaveSignatureImage"); err != nil {
		return err
	}
	login = strings.TrimSpace(login)
	if login == "" {
		return app.FieldError("签名图片", "请选择用户")
	}
	rec := signatureRecord{Login: login}
	if len(data) > 0 {
		if len(data) > 2<<20 {
			return app.FieldError("签名图片", "图片超过 2 MB")
		}
		if _, err := png.DecodeConfig(bytes.NewReader(data)); err != nil {
			return app.FieldError("签名图片", "不是 PNG 图片（请用透明背景的 PNG）")
		}
	}
	key := signatureKey(login)
	return s.db.update(ctx, "DocumentSettingsService.SaveSignatureImage", func(tx *txn) error {
		u, _, ok, err := findUserByName(tx.tx, login)
		if err != nil {
			return err
		}
		if !ok {
			return app.FieldError("签名图片", "用户“%s”不存在", login)
		}
		old := append([]byte(nil), tx.tx.Bucket(bucketDocSettings).Get(itob(key))...)
		if len(old) == 0 {
			old = nil
		} else {
			var prev signatureRecord
			if _, _, err := get(tx.tx, bucketDocSettings, key, &prev); err != nil {
				return err
			}
			if prev.Login != login {
				return app.Errorf(app.ECONFLICT, "用户“%s”的签名图片与“%s”的存放位置冲突，请联系维护人员", login, prev.Login)
			}
		}
		if old == nil && len(data) == 0 {
			return nil // nothing to remove
		}
		if len(data) > 0 {
			sum, err := s.db.writeAttachment(data)
			if err != nil {
				return err
			}
			rec.SHA256, rec.Size = sum, int64(len(data))
		}
		rec.UpdatedAt, rec.UpdatedBy = tx.now, tx.username()
		enc, err := tx.put(bucketDocSettings, key, &rec)
		if err != nil {
			return err
		}
		note := "上传签名图片：" + u.Name + "（" + login + "）"
		if rec.SHA256 == "" {
			note = "删除签名图片：" + u.Name + "（" + login + "）"
		}
		return tx.audit("DocumentSettingsService.SaveSignatureImage", entityDocSettings, key, old, enc, note)
	})
}

// LogPrint appends a print to the log; Reprint is set when one of its exams (or, for a
// contract document, the contract) had the same document printed before.
func (s *DocumentService) LogPrint(ctx context.Context, r app.PrintRecord) (*app.PrintRecord, error) {
	if _, err := app.Authorize(ctx, "PrintLogService.LogPrint"); err != nil {
		return nil, err
	}
	if r.Doc == "" {
		return nil, app.FieldError("文书", "不能为空")
	}
	if r.Copies < 1 {
		r.Copies = 1
	}
	err := s.db.update(ctx, "PrintLogService.LogPrint", func(t *txn) error {
		seen := func(b []byte, key uint64) (bool, error) {
			p := itob(key)
			c := t.tx.Bucket(b).Cursor()
			for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
				var old app.PrintRecord
				if _, ok, err := get(t.tx, bucketPrintLog, btoi(k[8:]), &old); err != nil {
					return false, err
				} else if ok && old.Doc == r.Doc {
					return true, nil
				}
			}
			return false, nil
		}
		r.Reprint = false
		for _, id := range r.ExamIDs {
			ok, err := seen(bucketPrintExam, uint64(id))
			if err != nil {
				return err
			}
			r.Reprint = r.Reprint || ok
		}
		if len(r.ExamIDs) == 0 && r.ContractID != 0 {
			ok, err := seen(bucketPrintContract, uint64(r.ContractID))
			if err != nil {
				return err
			}
			r.Reprint = ok
		}
		id, err := t.nextID(bucketPrintLog)
		if err != nil {
			return err
		}
		r.ID, r.Time, r.User = int64(id), t.now, t.username()
		enc, err := t.put(bucketPrintLog, id, &r)
		if err != nil {
			return err
		}
		for _, e := range r.ExamIDs {
			if err := t.tx.Bucket(bucketPrintExam).Put(append(itob(uint64(e)), itob(id)...), nil); err != nil {
				return err
			}
		}
		if r.ContractID != 0 {
			if err := t.tx.Bucket(bucketPrintContract).Put(append(itob(uint64(r.ContractID)), itob(id)...), nil); err != nil {
				return err
			}
		}
		note := fmt.Sprintf("%s %d 份 %d 页", r.Doc, r.Copies, r.Pages)
		if r.Reprint {
			note = "重印 " + note
		}
		return t.auditCreate("PrintLogService.LogPrint", entityPrint, id, enc, "Doc", r.Doc, "Printer", r.Printer, "Note", note)
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// FindPrints lists the prints of an exam (examID ≠ 0) or of a contract, newest first.
func (s *DocumentService) FindPrints(ctx context.Context, contractID, examID int64) ([]app.PrintRecord, error) {
	var out []app.PrintRecord
	err := s.db.view(ctx, "PrintLogService.FindPrints", func(tx kv.Tx, _ app.Scope) error {
		b, key := bucketPrintContract, uint64(contractID)
		if examID != 0 {
			b, key = bucketPrintExam, uint64(examID)
		}
		p := itob(key)
		c := tx.Bucket(b).Cursor()
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			var r app.PrintRecord
			if _, ok, err := get(tx, bucketPrintLog, btoi(k[8:]), &r); err != nil {
				return err
			} else if ok {
				out = append(out, r)
			}
		}
		return nil
	})
	slices.Reverse(out)
	return out, err
}

// Calendar returns the stored calendar, or the bundled one (Options.Calendar) when none is stored.
func (s *DocumentService) Calendar(ctx context.Context) (*app.Calendar, error) {
	var c app.Calendar
	var ok bool
	err := s.db.view(ctx, "CalendarService.Calendar", func(tx kv.Tx, _ app.Scope) error {
		var err error
		_, ok, err = get(tx, bucketDocSettings, keyCalendar, &c)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !ok {
		if s.db.opts.Calendar != nil {
			d := *s.db.opts.Calendar
			return &d, nil
		}
		return &app.Calendar{}, nil
	}
	return &c, nil
}

// SaveCalendar replaces the calendar: a day may not be both a holiday and a make-up workday.
func (s *DocumentService) SaveCalendar(ctx context.Context, c app.Calendar) error {
	if _, err := app.Authorize(ctx, "CalendarService.SaveCalendar"); err != nil {
		return err
	}
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	hol := map[string]bool{}
	for _, d := range c.Holidays {
		hol[day(d)] = true
	}
	var es app.Errors
	for _, d := range c.Workdays {
		if hol[day(d)] {
			es = append(es, app.FieldError("工作日历", "%s 同时是假日和调休上班日", day(d)))
		}
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			es = append(es, app.FieldError("工作日历", "%s 是工作日，不需要登记为调休上班", day(d)))
		}
	}
	if err := es.Err(); err != nil {
		return err
	}
	sortDays := func(ds []time.Time) {
		sort.Slice(ds, func(i, j int) bool { return ds[i].Before(ds[j]) })
	}
	sortDays(c.Holidays)
	sortDays(c.Workdays)
	slices.Sort(c.Years)
	c.Years = slices.Compact(c.Years)
	return s.db.update(ctx, "CalendarService.SaveCalendar", func(t *txn) error {
		old := append([]byte(nil), t.tx.Bucket(bucketDocSettings).Get(itob(keyCalendar))...)
		if len(old) == 0 {
			old = nil
		}
		c.UpdatedAt, c.UpdatedBy = t.now, t.username()
		enc, err := t.put(bucketDocSettings, keyCalendar, &c)
		if err != nil {
			return err
		}
		return t.audit("CalendarService.SaveCalendar", entityDocSettings, keyCalendar, old, enc, "工作日历")
	})
}
