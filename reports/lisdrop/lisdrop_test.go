package lisdrop

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/reports"
)

// fakeRecords knows the exams 126000001 and 126000002; a row of any other exam number is
// rejected. It keeps what was committed.
type fakeRecords struct {
	app.RecordService
	mappings  []app.ResultMapping
	committed []app.ResultImportFile
	commitErr error
}

func (r *fakeRecords) ResultMappings(context.Context) ([]app.ResultMapping, error) {
	return r.mappings, nil
}

func (r *fakeRecords) PreviewResultImport(_ context.Context, f app.ResultImportFile) (*app.ResultImportPreview, error) {
	p := &app.ResultImportPreview{File: f}
	for _, rec := range f.Records {
		row := app.ResultImportRow{Row: rec.Row, Exam: rec.ExamNumber, Outcome: app.RowAccepted}
		if rec.ExamNumber != "126000001" && rec.ExamNumber != "126000002" {
			row.Outcome = app.RowRejected
			row.Messages = []app.RowMessage{{Column: "体检号", Message: "档案中没有体检号 " + rec.ExamNumber}}
			p.Rejected++
		} else {
			row.Worker = "王建国"
			row.Results = []app.Result{{ItemCode: "4010100", Value: rec.Values["4010100"], Unit: "10^9/L"}}
			p.Accepted++
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

func (r *fakeRecords) CommitResultImport(_ context.Context, f app.ResultImportFile) (int, error) {
	if r.commitErr != nil {
		return 0, r.commitErr
	}
	r.committed = append(r.committed, f)
	return len(f.Records), nil
}

var lisMapping = app.ResultMapping{Source: "检验科LIS", Columns: []app.ResultImportColumn{
	{Header: "体检号", Key: app.ImportKeyExamNumber}, {Header: "WBC", Key: app.ImportKeyItem, ItemCode: "4010100"}}}

// newWatcher watches a new folder with a session on recs; opened counts the sessions.
func newWatcher(t *testing.T, recs *fakeRecords, openErr *error) (*Watcher, string) {
	t.Helper()
	dir := t.TempDir()
	w := New(dir, "检验科LIS", func(ctx context.Context) (app.Services, context.Context, func(), error) {
		if openErr != nil && *openErr != nil {
			return app.Services{}, nil, nil, *openErr
		}
		return app.Services{Records: recs, Documents: reports.Documents{}}, ctx, func() {}, nil
	})
	w.Now = func() time.Time { return time.Date(2026, 11, 30, 9, 30, 0, 0, time.UTC) }
	return w, dir
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func poll(t *testing.T, w *Watcher) Poll {
	t.Helper()
	p, err := w.Poll(context.Background())
	if err != nil {
		t.Fatalf("poll: %v", err)
	}
	return p
}

func TestPoll_ImportsAFileOnlyWhenUnchangedForTwoPolls(t *testing.T) {
	recs := &fakeRecords{mappings: []app.ResultMapping{lisMapping}}
	w, dir := newWatcher(t, recs, nil)
	f := filepath.Join(dir, "血常规.csv")
	writeFile(t, f, "体检号,WBC\n126000001,5.6\n")
	if p := poll(t, w); p.Waiting != 1 || len(p.Imported) != 0 {
		t.Fatalf("first sight: %+v", p)
	}
	if p := poll(t, w); p.Waiting != 1 || len(p.Imported) != 0 {
		t.Fatalf("unchanged once: %+v", p)
	}
	// The LIS goes on writing: the count starts again.
	writeFile(t, f, "体检号,WBC\n126000001,5.6\n126000002,6.1\n")
	for i := 0; i < 2; i++ {
		if p := poll(t, w); p.Waiting != 1 || len(p.Imported) != 0 || len(recs.committed) != 0 {
			t.Fatalf("poll %d after a change: %+v", i+1, p)
		}
	}
	p := poll(t, w)
	if p.Waiting != 0 || !slices.Equal(p.Imported, []string{"血常规.csv"}) || p.Summary() != "已导入 1 个文件" {
		t.Fatalf("unchanged twice: %+v %q", p, p.Summary())
	}
	if len(recs.committed) != 1 || len(recs.committed[0].Records) != 2 {
		t.Fatalf("committed %+v", recs.committed)
	}
	if exists(f) || !exists(filepath.Join(dir, DoneDir, "血常规.csv")) {
		t.Error("the imported file was not moved into 已导入")
	}
	b, err := os.ReadFile(filepath.Join(dir, DoneDir, "血常规.csv.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"文件：血常规.csv", "来源：检验科LIS", "处理时间：2026-11-30 09:30:00", "共 2 行：通过 2，有提示 0，拒绝 0",
		"第 2 行（通过）126000001 王建国：4010100 5.6 10^9/L", "已导入 2 行的结果。", "结果：已导入"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("outcome lacks %q:\n%s", want, b)
		}
	}
	// Nothing more to do; 已导入 itself is not read.
	if p := poll(t, w); p.Waiting != 0 || len(p.Imported)+len(p.Failed) != 0 {
		t.Errorf("after the import: %+v", p)
	}
}

func TestPoll_AllOrNothingAndOutcomeFiles(t *testing.T) {
	recs := &fakeRecords{mappings: []app.ResultMapping{lisMapping}}
	w, dir := newWatcher(t, recs, nil)
	writeFile(t, filepath.Join(dir, "好.csv"), "体检号,WBC\n126000001,5.6\n")
	writeFile(t, filepath.Join(dir, "坏.csv"), "体检号,WBC\n126000001,5.6\n126999999,6.0\n")
	writeFile(t, filepath.Join(dir, "说明.doc"), "x")
	// A file of the same name was failed before: the new outcome does not overwrite it.
	if err := os.MkdirAll(filepath.Join(dir, FailedDir), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, FailedDir, "坏.csv"), "old")
	var p Poll
	for i := 0; i < 3; i++ {
		p = poll(t, w)
	}
	slices.Sort(p.Failed)
	if !slices.Equal(p.Imported, []string{"好.csv"}) || !slices.Equal(p.Failed, []string{"坏.csv", "说明.doc"}) {
		t.Fatalf("poll %+v", p)
	}
	if got := p.Summary(); got != "已导入 1 个文件，2 个失败（见“失败”文件夹）" {
		t.Errorf("summary %q", got)
	}
	// All or nothing: the file with a rejected row wrote nothing, not even its good row.
	if len(recs.committed) != 1 || recs.committed[0].Name != "好.csv" {
		t.Fatalf("committed %+v", recs.committed)
	}
	b, err := os.ReadFile(filepath.Join(dir, FailedDir, "坏（2）.csv.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"拒绝 1", "第 3 行（拒绝）126999999", "体检号：档案中没有体检号 126999999", "有被拒绝的行，未写入任何结果",
		"结果：失败（有被拒绝的行"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("failed outcome lacks %q:\n%s", want, b)
		}
	}
	if old, _ := os.ReadFile(filepath.Join(dir, FailedDir, "坏.csv")); string(old) != "old" {
		t.Error("the earlier failed file was overwritten")
	}
	b, _ = os.ReadFile(filepath.Join(dir, FailedDir, "说明.doc.txt"))
	if !strings.Contains(string(b), "只接受 .xlsx 和 .csv 文件") {
		t.Errorf("outcome of a .doc:\n%s", b)
	}
}

func TestPoll_UnreadableFileFails(t *testing.T) {
	recs := &fakeRecords{mappings: []app.ResultMapping{lisMapping}}
	w, dir := newWatcher(t, recs, nil)
	writeFile(t, filepath.Join(dir, "乱码.xlsx"), "this is not a workbook")
	var p Poll
	for i := 0; i < 3; i++ {
		p = poll(t, w)
	}
	if !slices.Equal(p.Failed, []string{"乱码.xlsx"}) || len(recs.committed) != 0 {
		t.Fatalf("poll %+v", p)
	}
	b, _ := os.ReadFile(filepath.Join(dir, FailedDir, "乱码.xlsx.txt"))
	if !strings.Contains(string(b), "结果：失败\n原因：") {
		t.Errorf("outcome:\n%s", b)
	}
}

func TestPoll_IgnoresTemporaryHiddenAndLockFiles(t *testing.T) {
	recs := &fakeRecords{mappings: []app.ResultMapping{lisMapping}}
	w, dir := newWatcher(t, recs, nil)
	names := []string{"血常规.xlsx.tmp", "血常规.csv.part", "下载.csv.crdownload", "BIG.CSV.TMP", ".隐藏.csv", "~$血常规.xlsx"}
	for _, n := range names {
		writeFile(t, filepath.Join(dir, n), "体检号,WBC\n126000001,5.6\n")
	}
	if err := os.Mkdir(filepath.Join(dir, "子文件夹.csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if p := poll(t, w); p.Waiting != 0 || len(p.Imported)+len(p.Failed) != 0 {
			t.Fatalf("poll %d: %+v", i+1, p)
		}
	}
	for _, n := range names {
		if !exists(filepath.Join(dir, n)) {
			t.Errorf("%s was moved", n)
		}
	}
	if len(recs.committed) != 0 || exists(filepath.Join(dir, FailedDir)) {
		t.Error("an ignored file was imported or failed")
	}
	for _, n := range []string{"a.csv", "血常规.xlsx", "tmp.csv"} {
		if Ignored(n) {
			t.Errorf("%s ignored", n)
		}
	}
}

func TestPoll_FilesStayWhenTheFaultIsNotTheirs(t *testing.T) {
	recs := &fakeRecords{}
	var openErr error
	w, dir := newWatcher(t, recs, &openErr)
	f := filepath.Join(dir, "血常规.csv")
	writeFile(t, f, "体检号,WBC\n126000001,5.6\n")
	poll(t, w)
	poll(t, w)

	// No saved mapping for the source: the watch stops, the file stays.
	if _, err := w.Poll(context.Background()); err == nil || !strings.Contains(app.ErrorMessage(err), "还没有保存列对应") {
		t.Fatalf("unsaved source: %v", err)
	}
	if !exists(f) {
		t.Fatal("the file was moved")
	}
	// The archive is in use: the file waits.
	openErr = app.Errorf(app.ELOCKED, "档案正被另一个程序打开")
	if p := poll(t, w); !p.Locked || p.Waiting != 1 || !exists(f) {
		t.Fatalf("locked: %+v", p)
	}
	// The user may not import: the watch stops, the file stays.
	openErr = nil
	recs.mappings = []app.ResultMapping{lisMapping}
	recs.commitErr = app.Errorf(app.EFORBIDDEN, "您没有导入结果的权限")
	if _, err := w.Poll(context.Background()); app.ErrorCode(err) != app.EFORBIDDEN || !exists(f) {
		t.Fatalf("forbidden: %v", err)
	}
	// A stopped watch leaves the file for later.
	recs.commitErr = nil
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if p, err := w.Poll(ctx); err != nil || p.Waiting != 1 || !exists(f) {
		t.Fatalf("cancelled: %+v %v", p, err)
	}
	if p := poll(t, w); !slices.Equal(p.Imported, []string{"血常规.csv"}) {
		t.Fatalf("once put right: %+v", p)
	}
}

func TestPoll_FolderGoneIsSaidNotFatal(t *testing.T) {
	w, dir := newWatcher(t, &fakeRecords{mappings: []app.ResultMapping{lisMapping}}, nil)
	w.Dir = filepath.Join(dir, "不存在")
	p, err := w.Poll(context.Background())
	if err != nil || p.Unreadable == nil || !strings.Contains(app.ErrorMessage(p.Unreadable), "无法读取文件夹") {
		t.Fatalf("%+v %v", p, err)
	}
	if err := CheckFolder(w.Dir); err == nil || !strings.Contains(err.Error(), "不存在") {
		t.Errorf("CheckFolder: %v", err)
	}
	if err := CheckFolder(" "); err == nil {
		t.Error("CheckFolder of an empty path")
	}
	if err := CheckFolder(dir); err != nil {
		t.Error(err)
	}
}
