package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"occhealth/app"
	"occhealth/demo"
)

// demoPath is where the demo archive lives: beside the real one, never the same file.
func demoPath(archive string) string { return filepath.Join(filepath.Dir(archive), "demo.db") }

// createDemo creates and fills a demo archive at path, or opens it when it already exists.
func createDemo(path string, workers int, seed uint64, progress func(done, total int)) (*archive, demo.Result, error) {
	return createDemoWith(path, demo.Options{Workers: workers, Seed: seed, Progress: progress})
}

// createDemoWith is createDemo with all of demo.Options.
func createDemoWith(path string, opts demo.Options) (*archive, demo.Result, error) {
	a, err := openArchive(path, true)
	if err != nil {
		return nil, demo.Result{}, err
	}
	st, err := a.svc.Setup.Status(context.Background())
	if err != nil {
		a.db.Close()
		return nil, demo.Result{}, err
	}
	if st.Initialized {
		if !st.Demo {
			a.db.Close()
			return nil, demo.Result{}, app.Errorf(app.ESETUP, "%s 是正式档案，不能写入演示数据", path)
		}
		return a, demo.Result{}, nil
	}
	admin, err := a.svc.Setup.Initialize(context.Background(), app.SetupInput{
		Institution: app.Institution{Name: "演示县人民医院", Code: "450102901", AreaCode: "450102", AreaName: "兴宁区",
			Kinds:            []app.InstitutionKind{app.KindExam, app.KindDiagnosis, app.KindFollowUp},
			HazardCategories: []app.HazardCategory{app.HazardDust, app.HazardChemical, app.HazardPhysical, app.HazardSpecial},
			Demo:             true, InstallationPrefix: "9"},
		AdminUsername: "demo", AdminName: "演示管理员", AdminPassword: demo.DemoPassword,
	})
	if err != nil {
		a.db.Close()
		return nil, demo.Result{}, err
	}
	// The demo administrator holds every role so that a visitor sees every desk.
	roles := append([]app.Role(nil), app.Roles...)
	ctx := app.NewContextWithWorkstation(app.NewContextWithUser(context.Background(), admin), "演示数据生成")
	if _, err := a.svc.Users.UpdateUser(ctx, admin.ID, admin.Version, app.UserUpdate{Roles: &roles}); err != nil {
		a.db.Close()
		return nil, demo.Result{}, err
	}
	// A demo archive is filled in bulk: fsync once at the end instead of per record. Every
	// record still goes through the services (validation, indexes, audit).
	a.db.Bolt().NoSync = true
	res, err := demo.Fill(ctx, a.svc, opts)
	a.db.Bolt().NoSync = false
	if serr := a.db.Bolt().Sync(); err == nil {
		err = serr
	}
	if err != nil {
		a.db.Close()
		return nil, res, err
	}
	return a, res, nil
}

func cmdDemo(args []string) int {
	fs, g := newFlags("demo")
	workers := fs.Int("workers", 200, "劳动者人数")
	seed := fs.Uint64("seed", 1, "随机种子（相同种子生成相同数据）")
	noRecords := fs.Bool("no-records", false, "只登记体检，不录入结果、结论和签名（生成更快）")
	explicit := false
	for _, a := range args {
		if a == "--db" || a == "-db" || len(a) > 5 && (a[:5] == "--db=" || a[:4] == "-db=") {
			explicit = true
		}
	}
	if _, err := parse(fs, args); err != nil {
		return exitUsage
	}
	path := g.db
	if !explicit {
		path = demoPath(g.db)
	}
	if isPostgres(path) {
		return fail(app.Errorf(app.EINVALID, "演示档案只能建在本机文件中（--db 新文件路径）；需要时再用 occhealth migrate 迁入 PostgreSQL"))
	}
	if _, err := os.Stat(path); err == nil {
		return fail(app.Errorf(app.ESETUP, "文件 %s 已存在；演示档案请写入新文件（--db 新路径）", path))
	}
	start := time.Now()
	last := time.Now()
	a, res, err := createDemoWith(path, demo.Options{Workers: *workers, Seed: *seed, NoRecords: *noRecords,
		Progress: func(done, total int) {
			if time.Since(last) > 2*time.Second || done == total {
				fmt.Fprintf(os.Stderr, "\r已生成 %d/%d 名劳动者", done, total)
				last = time.Now()
			}
		},
		RecordProgress: func(done, total int) {
			if time.Since(last) > 2*time.Second || done == total {
				fmt.Fprintf(os.Stderr, "\r已录入 %d/%d 人次体检　　　", done, total)
				last = time.Now()
			}
		}})
	if err != nil {
		fmt.Fprintln(os.Stderr)
		return fail(err)
	}
	a.db.Close()
	st, _ := os.Stat(path)
	fmt.Fprintln(os.Stderr)
	fmt.Printf("演示档案 %s：%d 家用人单位，%d 名劳动者，%d 个体检任务，%d 人次体检登记，%d 个演示账号；用时 %.1f 秒，文件 %.1f MB\n",
		path, res.Employers, res.Workers, res.Contracts, res.Exams, res.Users+1, time.Since(start).Seconds(), float64(st.Size())/1e6)
	if res.Recorded > 0 {
		c := res.Conclusions
		fmt.Printf("已录入结果 %d 人次，主检签名 %d 人次（退回后重签 %d），审核 %d，发放 %d；危害因素结论：目前未见异常 %d、其他疾病或异常 %d、职业禁忌证 %d、疑似职业病 %d，复查医嘱 %d，危急值 %d\n",
			res.Recorded, res.Signed, res.Returned, res.Reviewed, res.Released, c[app.ConclusionNormal], c[app.ConclusionOther],
			c[app.ConclusionContraindication], c[app.ConclusionSuspected], res.Rechecks, res.Criticals)
	}
	fmt.Printf("登录：demo / %s（所有角色），或 dengji、tijian、zhujian、shenhe、zhenduan、suifang、tongji，密码相同\n", demo.DemoPassword)
	return exitOK
}
