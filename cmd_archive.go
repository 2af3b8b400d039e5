package main

import (
	"fmt"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"occhealth/app"
	"occhealth/store"
)

func loadKeys(path string) (*store.KeyRing, error) {
	return store.LoadKeyRing(store.KeyRingPath(path), nowFunc())
}

func cmdEmployer(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "用法: occhealth employer add|list ...")
		return exitUsage
	}
	sub, args := args[0], args[1:]
	fs, g := newFlags("employer " + sub)
	e := &app.Employer{}
	fs.StringVar(&e.Name, "name", "", "单位名称")
	fs.StringVar(&e.CreditCode, "credit", "", "统一社会信用代码")
	fs.StringVar(&e.AreaCode, "area", "", "所属地区代码")
	fs.StringVar(&e.IndustryCode, "industry", "", "行业类别（GB/T 4754 小类）")
	fs.StringVar(&e.EconomicTypeCode, "economic", "", "经济类型（GB/T 12402）")
	fs.StringVar(&e.SizeCode, "size", "", "企业规模 01–04、99")
	fs.StringVar(&e.Address, "address", "", "详细地址")
	fs.StringVar(&e.ContactPerson, "contact", "", "联系人")
	fs.StringVar(&e.ContactPhone, "phone", "", "联系电话")
	query := fs.String("query", "", "查询：名称、信用代码或拼音首字母（list）")
	if _, err := parse(fs, args); err != nil {
		return exitUsage
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	switch sub {
	case "add":
		warns, err := a.svc.Employers.CreateEmployer(ctx, e)
		if err != nil {
			return fail(err)
		}
		for _, w := range warns {
			fmt.Fprintln(os.Stderr, "提示："+w)
		}
		fmt.Printf("已登记用人单位 %d：%s\n", e.ID, e.Name)
	case "list":
		es, total, err := a.svc.Employers.FindEmployers(ctx, app.EmployerFilter{Query: *query})
		if err != nil {
			return fail(err)
		}
		if g.json {
			printJSON(es)
			return exitOK
		}
		tw := tabwriter.NewWriter(os.Stdout, 0, 2, 2, ' ', 0)
		fmt.Fprintln(tw, "编号\t名称\t统一社会信用代码\t地区\t行业")
		for _, e := range es {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", e.ID, e.Name, e.CreditCode, e.AreaCode, e.IndustryCode)
		}
		tw.Flush()
		fmt.Printf("共 %d 家\n", total)
	default:
		return exitUsage
	}
	return exitOK
}

func cmdWorker(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "用法: occhealth worker add|show ...")
		return exitUsage
	}
	sub, args := args[0], args[1:]
	fs, g := newFlags("worker " + sub)
	w := &app.Worker{}
	doc := fs.String("doc", "01", "证件类型代码（01 居民身份证，L01 港澳台居民居住证，L02 外国人永久居留身份证，03 护照 …）")
	fs.StringVar(&w.Name, "name", "", "姓名")
	fs.StringVar(&w.IDNumber, "id", "", "证件号码")
	fs.StringVar(&w.Phone, "phone", "", "联系电话")
	sex := fs.String("sex", "", "性别 1 男 2 女（非身份证类证件必填）")
	birth := fs.String("birth", "", "出生日期 2006-01-02（非身份证类证件必填）")
	employer := fs.Int64("employer", 0, "现用人单位编号")
	job := fs.String("job", "", "工种名称或代码")
	start := fs.String("start", "", "入职/开始接害日期")
	pos, err := parse(fs, args)
	if err != nil {
		return exitUsage
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	switch sub {
	case "add":
		w.DocType, w.Sex = app.DocType(*doc), app.Sex(*sex)
		if *birth != "" {
			t, err := time.Parse("2006-01-02", *birth)
			if err != nil {
				return fail(app.FieldError("--birth", "日期格式应为 2006-01-02"))
			}
			w.BirthDate = t
		}
		if *employer != 0 {
			p := app.WorkPeriod{EmployerID: *employer, JobName: *job}
			if _, ok := a.svc.Catalogs.CodeName(app.CatalogJobs, *job); ok {
				p.JobCode, p.JobName = *job, ""
			}
			if *start != "" {
				t, err := time.Parse("2006-01-02", *start)
				if err != nil {
					return fail(app.FieldError("--start", "日期格式应为 2006-01-02"))
				}
				p.Start = t
			}
			w.WorkHistory = []app.WorkPeriod{p}
		}
		if err := a.svc.Workers.CreateWorker(ctx, w); err != nil {
			return fail(err)
		}
		fmt.Printf("已建档 %d：%s %s %s %s\n", w.ID, w.Name, w.IDNumber, w.Sex.Name(), w.BirthDate.Format("2006-01-02"))
	case "show":
		if len(pos) != 1 {
			fmt.Fprintln(os.Stderr, "用法: occhealth worker show 档案号|证件号|姓名|拼音首字母")
			return exitUsage
		}
		var ids []int64
		if n, err := strconv.ParseInt(pos[0], 10, 64); err == nil && len(pos[0]) < 6 {
			ids = []int64{n}
		} else if ids, err = a.svc.Workers.SearchWorkers(ctx, app.WorkerSearch{Query: pos[0], Limit: 50}); err != nil {
			return fail(err)
		}
		var ws []*app.Worker
		for _, id := range ids {
			w, err := a.svc.Workers.FindWorkerByID(ctx, id)
			if err != nil {
				return fail(err)
			}
			ws = append(ws, w)
		}
		if g.json {
			printJSON(ws)
			return exitOK
		}
		if len(ws) == 0 {
			fmt.Println("没有找到")
			return exitError
		}
		for _, w := range ws {
			fmt.Printf("档案号 %d  %s  %s %s  %s  出生 %s  电话 %s\n", w.ID, w.Name, w.DocType.Name(), w.IDNumber, w.Sex.Name(), w.BirthDate.Format("2006-01-02"), w.Phone)
			for _, p := range w.WorkHistory {
				job := p.JobName
				if n, ok := a.svc.Catalogs.CodeName(app.CatalogJobs, p.JobCode); ok {
					job = n
				}
				end := "至今"
				if !p.End.IsZero() {
					end = p.End.Format("2006-01-02")
				}
				emp := strconv.FormatInt(p.EmployerID, 10)
				if e, err := a.svc.Employers.FindEmployerByID(ctx, p.EmployerID); err == nil {
					emp = e.Name
				}
				fmt.Printf("  工作经历：%s %s %s %s–%s\n", emp, p.Workshop, job, p.Start.Format("2006-01-02"), end)
			}
			for _, x := range w.Exposures {
				name := x.HazardName
				if n, ok := a.svc.Catalogs.CodeName(app.CatalogHazards, x.HazardCode); ok {
					name = n
				}
				fmt.Printf("  接害：%s（%s）自 %s\n", name, x.HazardCode, x.Start.Format("2006-01-02"))
			}
		}
	default:
		return exitUsage
	}
	return exitOK
}
