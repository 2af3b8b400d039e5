package cards

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"occhealth/app"
)

// gatedRecorder is a card service that records an export in a transaction committing only
// after the files are in place (the store in this process: bolt.CardService).
type gatedRecorder interface {
	RecordExportedAfter(ctx context.Context, batch, format string, cards []app.Card, ready func() error) error
}

// readChunk is how many cards an export reads, checks and renders at once (what is not sealed
// ahead): the memory of an export is bounded by it and by the sealed documents.
const readChunk = 2000

// ExportBatch is app.Documents.ExportCardBatch: the export of the window and of
// `occhealth cards export`. Cards sealed ahead (CardService.ExportItems) go as they are; the
// others are read with CardData in chunks, checked with req.Check, and sealed now. For a
// format without per-card documents every card is read and the batch rendered whole.
func ExportBatch(ctx context.Context, cs app.CardService, req app.CardBatchRequest, opt Options) (*app.CardBatchResult, error) {
	a, ok := adapters[req.Format]
	if !ok {
		return nil, unknownFormat(req.Format)
	}
	if err := checkBatchID(req.Batch); err != nil {
		return nil, err
	}
	if st, err := os.Stat(req.Dir); err != nil || !st.IsDir() {
		return nil, app.FieldError("文件夹", "文件夹“%s”不存在", req.Dir)
	}
	progress := func(f float64, format string, args ...any) {
		if req.Progress != nil {
			req.Progress(f, fmt.Sprintf(format, args...))
		}
	}
	progress(0, "正在读取个案卡…")
	set, err := cs.ExportItems(ctx, req.Format, req.From, req.To)
	if err != nil {
		return nil, err
	}
	res := &app.CardBatchResult{}
	needed := func(c *app.Card) bool {
		return req.Again || c.Status == app.CardPending || c.Status == app.CardReturned || c.ExportedHash == "" || c.Changed
	}
	var send []app.Card
	var seals []*app.CardSeal
	for _, it := range set.Items {
		if !needed(&it.Card) {
			res.Skipped++
			continue
		}
		send, seals = append(send, it.Card), append(seals, it.Seal)
	}
	res.Sealed = len(send)
	_, perCardFormat := a.(perCard)
	var whole []app.CardData // a format rendered whole
	for start := 0; start < len(set.Pending); start += readChunk {
		ids := set.Pending[start:min(start+readChunk, len(set.Pending))]
		progress(0.1+0.6*float64(start)/float64(len(set.Pending)), "正在读取并预检个案卡：%d / %d 张…", start, len(set.Pending))
		ds, err := cs.CardData(ctx, req.From, req.To, ids)
		if err != nil {
			return nil, err
		}
		var ok []app.CardData
		for _, d := range ds {
			if !needed(&d.Card) {
				res.Skipped++
				continue
			}
			var errs []app.CardIssue
			if req.Check != nil {
				for _, is := range req.Check(d) {
					if is.Level == app.LevelError {
						errs = append(errs, is)
					}
				}
			}
			if len(errs) > 0 {
				res.Blocked = append(res.Blocked, blocked(d, errs))
				continue
			}
			ok = append(ok, d)
		}
		if !perCardFormat {
			whole = append(whole, ok...)
			continue
		}
		ss, problems, err := sealCards(req.Format, ok, opt)
		if err != nil {
			return nil, err
		}
		for i, d := range ok {
			if ss[i] == nil {
				res.Blocked = append(res.Blocked, blocked(d, problemIssues(problems[i])))
				continue
			}
			send, seals = append(send, d.Card), append(seals, ss[i])
		}
	}
	progress(0.7, "已读取：%d 张已预生成，%d 张现读现生成", res.Sealed, len(send)-res.Sealed+len(whole))
	if len(send) == 0 && len(whole) == 0 {
		return res, nil
	}
	var files []app.CardExportFile
	var sb *sealedBatch
	if perCardFormat {
		progress(0.75, "正在打包 %d 张个案卡（批次 %s）…", len(send), req.Batch)
		if sb, err = packSealed(req.Format, req.Batch, send, seals, set.Institution, set.Settings, opt); err != nil {
			return nil, err
		}
	} else {
		progress(0.75, "正在生成 %d 张个案卡（批次 %s）…", len(whole), req.Batch)
		fs, _, err := Export(req.Format, req.Batch, whole, opt)
		var ve *ValidationError
		if errors.As(err, &ve) && allCards(ve.Problems) {
			whole = holdBack(res, whole, ve.Problems)
			if len(whole) == 0 {
				return res, nil
			}
			fs, _, err = Export(req.Format, req.Batch, whole, opt)
		}
		if err != nil {
			return nil, err
		}
		files = fs
		send = send[:0]
		for _, d := range whole {
			send = append(send, d.Card)
		}
	}
	progress(0.85, "正在写入文件（%d 张个案卡）…", len(send))
	w, err := newBatchWriter(req.Dir, req.Batch)
	if err != nil {
		return nil, err
	}
	writeAll := func() error {
		var err error
		if sb != nil {
			err = w.write(req.Batch+".zip", sb.writeZip)
			if err == nil {
				var mj []byte
				if mj, err = sb.manifestJSON(); err == nil {
					err = w.writeBytes(req.Batch+".manifest.json", mj)
					res.Manifest = mj
				}
			}
		} else {
			for _, f := range files {
				if err = w.writeBytes(f.Name, f.Data); err != nil {
					break
				}
				if filepath.Ext(f.Name) == ".json" {
					res.Manifest = f.Data
				}
			}
		}
		if err == nil {
			err = w.commit()
		}
		return err
	}
	if g, ok := cs.(gatedRecorder); ok {
		// The store prepares the records while the files are written, and commits once they
		// are in place.
		done := make(chan error, 1)
		go func() { done <- writeAll() }()
		var werr error
		waited := false
		err := g.RecordExportedAfter(ctx, req.Batch, req.Format, send, func() error {
			werr, waited = <-done, true
			if werr == nil {
				progress(0.95, "正在登记导出…")
			}
			return werr
		})
		if !waited {
			werr = <-done
		}
		if werr != nil || err != nil {
			w.abort()
			return nil, cmp.Or(werr, err)
		}
	} else {
		if err := writeAll(); err != nil {
			w.abort()
			return nil, err
		}
		progress(0.95, "正在登记导出…")
		if err := cs.RecordExported(ctx, req.Batch, req.Format, send); err != nil {
			w.remove()
			return nil, err
		}
	}
	res.Batch, res.Exported, res.Files, res.Bytes = req.Batch, len(send), w.paths, w.bytes
	progress(1, "导出完成。")
	return res, nil
}

func blocked(d app.CardData, issues []app.CardIssue) app.CardBlocked {
	b := app.CardBlocked{Card: d.Card, Issues: issues}
	if d.Exam != nil && d.Exam.Record != nil && d.Exam.Record.Parties != nil {
		b.Worker, b.Employer = d.Exam.Record.Parties.Worker.Name, d.Exam.Record.Parties.Employer.Name
	}
	return b
}

func problemIssues(ps []Problem) []app.CardIssue {
	out := make([]app.CardIssue, len(ps))
	for i, p := range ps {
		field := p.Element
		if p.Title != "" {
			field += "（" + p.Title + "）"
		}
		out[i] = app.CardIssue{Level: app.LevelError, Field: field, Message: "不符合导出格式：" + p.Message}
	}
	return out
}

// allCards reports whether every problem belongs to a card (an employer's problem holds back
// no card: the export fails).
func allCards(ps []Problem) bool {
	for _, p := range ps {
		if p.Card == "" {
			return false
		}
	}
	return len(ps) > 0
}

// holdBack moves the cards the problems name to res.Blocked and returns the others.
func holdBack(res *app.CardBatchResult, ds []app.CardData, ps []Problem) []app.CardData {
	by := map[string][]Problem{}
	for _, p := range ps {
		by[p.Card] = append(by[p.Card], p)
	}
	var keep []app.CardData
	for _, d := range ds {
		if p := by[cardNumber(&d)]; len(p) > 0 {
			res.Blocked = append(res.Blocked, blocked(d, problemIssues(p)))
			continue
		}
		keep = append(keep, d)
	}
	return keep
}

// batchWriter writes a batch's files under temporary names and renames them once all are
// written; an existing file is never overwritten, and on error nothing is left behind.
type batchWriter struct {
	dir         string
	tmps, names []string
	paths       []string
	bytes       int64
}

func newBatchWriter(dir, batch string) (*batchWriter, error) {
	for _, n := range []string{batch + ".zip", batch + ".xml", batch + ".manifest.json"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return nil, app.Errorf(app.ECONFLICT, "文件夹中已有“%s”，请换一个文件夹或先移走该文件", n)
		}
	}
	return &batchWriter{dir: dir}, nil
}

func (w *batchWriter) writeBytes(name string, data []byte) error {
	return w.write(name, func(f io.Writer) error { _, err := f.Write(data); return err })
}

func (w *batchWriter) write(name string, fill func(io.Writer) error) error {
	if filepath.Base(name) != name || name == "." {
		return app.Errorf(app.EINTERNAL, "导出文件名“%s”无效", name)
	}
	if _, err := os.Stat(filepath.Join(w.dir, name)); err == nil {
		return app.Errorf(app.ECONFLICT, "文件夹中已有“%s”，请换一个文件夹或先移走该文件", name)
	}
	f, err := os.CreateTemp(w.dir, "."+name+"-*.tmp")
	if err != nil {
		return app.Errorf(app.EINVALID, "无法在“%s”中写文件：%v", w.dir, err)
	}
	w.tmps, w.names = append(w.tmps, f.Name()), append(w.names, name)
	cw := &countWriter{w: f}
	werr := fill(cw)
	if err := f.Sync(); werr == nil {
		werr = err
	}
	if err := f.Close(); werr == nil {
		werr = err
	}
	if werr != nil {
		return app.Errorf(app.EINVALID, "写入“%s”失败：%v", name, werr)
	}
	w.bytes += cw.n
	return nil
}

func (w *batchWriter) commit() error {
	for i, t := range w.tmps {
		p := filepath.Join(w.dir, w.names[i])
		if err := os.Rename(t, p); err != nil {
			return app.Errorf(app.EINVALID, "写入“%s”失败：%v", w.names[i], err)
		}
		w.paths = append(w.paths, p)
	}
	w.tmps = nil
	return nil
}

func (w *batchWriter) abort() {
	for _, p := range w.tmps {
		os.Remove(p)
	}
	w.remove()
}

func (w *batchWriter) remove() {
	for _, p := range w.paths {
		os.Remove(p)
	}
}
