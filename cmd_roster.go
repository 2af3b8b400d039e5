package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"occhealth/app"
	"occhealth/reports"
)

// cmdRoster imports a roster (团检名单) into a contract: preview, then an all-or-nothing commit.
func cmdRoster(args []string) int {
	if len(args) == 0 || args[0] != "import" {
		fmt.Fprintln(os.Stderr, "用法: occhealth roster import 名单.xlsx|名单.csv --contract 合同编号或ID [--dry-run] [--register --date 2026-12-01] [--outcome 结果.xlsx] [--json] --user 登记员")
		return exitUsage
	}
	fs, g := newFlags("roster import")
	contract := fs.String("contract", "", "体检任务：合同编号或 ID")
	dryRun := fs.Bool("dry-run", false, "只预览，不写入")
	register := fs.Bool("register", false, "导入时同时为每人登记体检")
	date := fs.String("date", "", "登记的体检日期（默认今天）")
	typ := fs.String("type", "02", "名单未写体检类型时的类型：01 上岗前 02 在岗期间 03 离岗时 04 应急 05 离岗后")
	outcome := fs.String("outcome", "", "把每行的结果和原因另存为 .xlsx")
	pos, err := parse(fs, args[1:])
	if err != nil || len(pos) != 1 || *contract == "" {
		fmt.Fprintln(os.Stderr, "用法: occhealth roster import 名单文件 --contract 合同编号 [--dry-run] [--register] [--json]")
		return exitUsage
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return fail(err)
	}
	f, err := reports.ReadRoster(filepath.Base(pos[0]), data)
	if err != nil {
		return fail(err)
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	cid, err := findContract(a, ctx, *contract)
	if err != nil {
		return fail(err)
	}
	p, err := a.svc.Intake.PreviewRoster(ctx, cid, f)
	if err != nil {
		return fail(err)
	}
	if *outcome != "" {
		b, err := reports.WriteRosterOutcome(p)
		if err != nil {
			return fail(err)
		}
		if err := os.WriteFile(*outcome, b, 0o644); err != nil {
			return fail(err)
		}
	}
	type rowJSON struct {
		Row      int              `json:"row"`
		Outcome  string           `json:"outcome"`
		Name     string           `json:"name"`
		IDNumber string           `json:"id_number"`
		Linked   int64            `json:"existing_worker_id,omitempty"`
		Messages []app.RowMessage `json:"messages,omitempty"`
	}
	result := struct {
		File      string            `json:"file"`
		Encoding  string            `json:"encoding"`
		Accepted  int               `json:"accepted"`
		Warned    int               `json:"warned"`
		Rejected  int               `json:"rejected"`
		Linked    int               `json:"linked"`
		Rows      []rowJSON         `json:"rows"`
		Committed *app.RosterCommit `json:"committed,omitempty"`
	}{File: f.Name, Encoding: f.Encoding, Accepted: p.Accepted, Warned: p.Warned, Rejected: p.Rejected, Linked: p.Linked}
	for _, r := range p.Rows {
		result.Rows = append(result.Rows, rowJSON{r.Row, r.Outcome, r.Worker.Name, r.Worker.IDNumber, r.ExistingWorkerID, r.Messages})
	}
	if !*dryRun && p.Rejected == 0 {
		opts := app.RosterOptions{Register: *register, Type: app.ExamType(*typ)}
		if *register {
			opts.Date = time.Now()
			if *date != "" {
				d, err := time.ParseInLocation("2006-01-02", *date, time.Local)
				if err != nil {
					return fail(app.FieldError("--date", "日期格式应为 2006-01-02"))
				}
				opts.Date = d
			}
		}
		res, err := a.svc.Intake.CommitRoster(ctx, cid, f, opts)
		if err != nil {
			return fail(err)
		}
		result.Committed = res
	}
	if g.json {
		printJSON(result)
	} else {
		fmt.Printf("%s（%s）：通过 %d 行，有提示 %d 行，拒绝 %d 行；其中 %d 人已在档案中\n", f.Name, f.Encoding, p.Accepted, p.Warned, p.Rejected, p.Linked)
		for _, r := range p.Rows {
			for _, m := range r.Messages {
				level := "提示"
				if m.Level == app.LevelError {
					level = "拒绝"
				}
				col := ""
				if m.Column != "" {
					col = "【" + m.Column + "】"
				}
				fmt.Printf("  第 %d 行 %s%s：%s\n", m.Row, col, level, m.Message)
			}
		}
		switch {
		case result.Committed != nil:
			fmt.Printf("已导入：新建 %d 人，更新 %d 人，登记体检 %d 人次\n", result.Committed.Created, result.Committed.Updated, result.Committed.Registered)
		case *dryRun:
			fmt.Println("预览完毕，未写入任何数据（--dry-run）")
		default:
			fmt.Println("有被拒绝的行，未写入任何数据。请改正后重新导入。")
		}
	}
	if p.Rejected > 0 && !*dryRun {
		return exitError
	}
	return exitOK
}

// findContract accepts a contract number or ID.
func findContract(a *archive, ctx context.Context, s string) (int64, error) {
	cs, _, err := a.svc.Contracts.FindContracts(ctx, app.ContractFilter{Query: s})
	if err != nil {
		return 0, err
	}
	for _, c := range cs {
		if c.Number == s {
			return c.ID, nil
		}
	}
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		if c, err := a.svc.Contracts.FindContractByID(ctx, id); err == nil {
			return c.ID, nil
		}
	}
	return 0, app.Errorf(app.ENOTFOUND, "体检任务“%s”不存在", s)
}
