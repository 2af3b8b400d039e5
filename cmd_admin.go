package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"occhealth/app"
	"occhealth/store"
	"occhealth/store/bolt"
)

func nowFunc() time.Time { return time.Now() }

func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' })
	return f
}

// cmdInit sets up an empty archive.
func cmdInit(args []string) int {
	fs, g := newFlags("init")
	name := fs.String("institution", "", "机构名称")
	code := fs.String("code", "", "9 位机构编码")
	area := fs.String("area", "", "行政区划代码（6 位或 9 位）")
	kinds := fs.String("kinds", "exam", "机构类型，逗号分隔：exam,diagnosis,appraisal,followup")
	hazards := fs.String("hazards", "1,2,3", "备案危害因素类别：1 粉尘 2 化学 3 物理 4 生物 5 放射 6 特殊作业")
	admin := fs.String("admin", "admin", "管理员用户名")
	adminName := fs.String("admin-name", "管理员", "管理员姓名")
	if _, err := parse(fs, args); err != nil {
		return exitUsage
	}
	in := app.Institution{Name: *name, Code: *code, AreaCode: *area}
	for _, k := range splitList(*kinds) {
		in.Kinds = append(in.Kinds, app.InstitutionKind(k))
	}
	for _, h := range splitList(*hazards) {
		in.HazardCategories = append(in.HazardCategories, app.HazardCategory(h))
	}
	if !in.HasKind(app.KindExam) {
		in.HazardCategories = nil
	}
	a, err := openArchive(g.db, false)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	pw, err := readPassword(g, "新管理员 "+*admin+" 的密码：")
	if err != nil {
		return fail(err)
	}
	if _, err := a.svc.Setup.Initialize(context.Background(), app.SetupInput{Institution: in, AdminUsername: *admin, AdminName: *adminName, AdminPassword: pw}); err != nil {
		return fail(err)
	}
	fmt.Printf("已初始化档案 %s：%s（%s），管理员 %s\n", g.db, in.Name, in.Code, *admin)
	return exitOK
}

func cmdUser(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "用法: occhealth user add|list|disable|enable|reset ...")
		return exitUsage
	}
	sub, args := args[0], args[1:]
	fs, g := newFlags("user " + sub)
	name := fs.String("name", "", "姓名（add）")
	roles := fs.String("roles", "", "角色，逗号分隔，英文标识或中文名（add）")
	newPwFile := fs.String("new-password-file", "", "新用户或重置后的密码文件（add、reset）")
	pos, err := parse(fs, args)
	if err != nil {
		return exitUsage
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	findUser := func(username string) (*app.User, error) {
		us, err := a.svc.Users.FindUsers(ctx, app.UserFilter{Username: username, IncludeDisabled: true})
		if err != nil {
			return nil, err
		}
		if len(us) == 0 {
			return nil, app.Errorf(app.ENOTFOUND, "用户“%s”不存在", username)
		}
		return us[0], nil
	}
	newPassword := func() (string, error) {
		if *newPwFile == "" {
			return "", app.FieldError("--new-password-file", "请提供新密码文件")
		}
		b, err := os.ReadFile(*newPwFile)
		if err != nil {
			return "", err
		}
		return strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]), nil
	}
	switch sub {
	case "add":
		if len(pos) != 1 {
			fmt.Fprintln(os.Stderr, "用法: occhealth user add 用户名 --name 姓名 --roles registrar,exam_doctor --new-password-file F")
			return exitUsage
		}
		u := &app.User{Username: pos[0], Name: *name}
		for _, r := range splitList(*roles) {
			role, ok := app.ParseRole(r)
			if !ok {
				return fail(app.FieldError("--roles", "未知角色“%s”", r))
			}
			u.Roles = append(u.Roles, role)
		}
		pw, err := newPassword()
		if err != nil {
			return fail(err)
		}
		if err := a.svc.Users.CreateUser(ctx, u, pw); err != nil {
			return fail(err)
		}
		fmt.Printf("已创建用户 %s（%s）\n", u.Username, roleNames(u.Roles))
	case "list":
		us, err := a.svc.Users.FindUsers(ctx, app.UserFilter{IncludeDisabled: true})
		if err != nil {
			return fail(err)
		}
		if g.json {
			printJSON(us)
			return exitOK
		}
		tw := tabwriter.NewWriter(os.Stdout, 0, 2, 2, ' ', 0)
		fmt.Fprintln(tw, "用户名\t姓名\t角色\t状态")
		for _, u := range us {
			state := "正常"
			if u.Disabled {
				state = "已停用"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Username, u.Name, roleNames(u.Roles), state)
		}
		tw.Flush()
	case "disable", "enable":
		if len(pos) != 1 {
			return exitUsage
		}
		u, err := findUser(pos[0])
		if err != nil {
			return fail(err)
		}
		if err := a.svc.Users.SetUserDisabled(ctx, u.ID, sub == "disable"); err != nil {
			return fail(err)
		}
		fmt.Printf("用户 %s 已%s\n", u.Username, map[string]string{"disable": "停用", "enable": "启用"}[sub])
	case "reset":
		if len(pos) != 1 {
			return exitUsage
		}
		u, err := findUser(pos[0])
		if err != nil {
			return fail(err)
		}
		pw, err := newPassword()
		if err != nil {
			return fail(err)
		}
		if err := a.svc.Users.ResetPassword(ctx, u.ID, pw); err != nil {
			return fail(err)
		}
		fmt.Printf("用户 %s 的密码已重置，下次登录时须修改\n", u.Username)
	default:
		fmt.Fprintf(os.Stderr, "未知子命令 user %s\n", sub)
		return exitUsage
	}
	return exitOK
}

func roleNames(rs []app.Role) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name())
	}
	return strings.Join(out, "、")
}

// cmdVerify checks the audit chain. Without --user it runs offline as the machine's
// administrator would (the key ring on this machine is what proves the chain).
func cmdVerify(args []string) int {
	fs, g := newFlags("verify")
	if _, err := parse(fs, args); err != nil {
		return exitUsage
	}
	var r app.AuditReport
	var err error
	if g.user != "" {
		a, ctx, lerr := login(g)
		if lerr != nil {
			return fail(lerr)
		}
		defer a.db.Close()
		r, err = a.svc.Audit.VerifyAudit(ctx)
	} else {
		a, oerr := openArchive(g.db, false)
		if oerr != nil {
			return fail(oerr)
		}
		defer a.db.Close()
		r, err = a.db.VerifyAuditOffline()
	}
	if err != nil {
		return fail(err)
	}
	if g.json {
		printJSON(r)
	} else {
		fmt.Printf("审计记录 %d 条，%d 个密钥段，核对记录 %d 条，外部锚点 %d 个（不符 %d 个），链头 %s\n",
			r.Entries, r.Segments, r.RecordsChecked, r.AnchorsChecked, r.AnchorsFailed, app.ShortHash(r.Head))
		for _, n := range r.Notes {
			fmt.Println("注意：" + n)
		}
		if r.OK {
			fmt.Println("校验通过")
		} else {
			fmt.Printf("校验未通过：第一处问题在第 %d 条：%s\n", r.FirstBad, r.Problem)
		}
	}
	if !r.OK {
		return exitVerify
	}
	return exitOK
}

func cmdBackup(args []string) int {
	fs, g := newFlags("backup")
	if _, err := parse(fs, args); err != nil {
		return exitUsage
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	info, err := a.svc.Backup.Backup(ctx, app.BackupManual)
	if err != nil {
		return fail(err)
	}
	if g.json {
		printJSON(info)
		return exitOK
	}
	fmt.Printf("已备份到 %s（%d 字节，已校验），审计链头 %s（第 %d 条）\n", info.Path, info.Size, app.ShortHash(info.AuditHead), info.AuditSeq)
	if info.Copied != "" {
		fmt.Println("第二位置：", info.Copied)
	}
	return exitOK
}

// cmdRestore restores from a backup. When the archive cannot be opened (damaged), the
// administrator's password and the confirmation are checked against the backup itself.
func cmdRestore(args []string) int {
	fs, g := newFlags("restore")
	confirm := fs.String("confirm", "", "输入机构名称以确认（必填）")
	pos, err := parse(fs, args)
	if err != nil || len(pos) != 1 {
		fmt.Fprintln(os.Stderr, "用法: occhealth restore 备份文件 --user 管理员 --confirm 机构名称")
		return exitUsage
	}
	if *confirm == "" {
		return fail(app.FieldError("--confirm", "恢复会替换整个档案，请输入机构名称确认"))
	}
	a, err := openArchive(g.db, false)
	if err == nil {
		a.db.Close()
		a, ctx, err := login(g)
		if err != nil {
			return fail(err)
		}
		defer a.db.Close()
		if err := a.svc.Backup.Restore(ctx, pos[0], *confirm); err != nil {
			return fail(err)
		}
		fmt.Println("已从备份恢复（恢复前的档案已另行备份）：", pos[0])
		return exitOK
	}
	if app.ErrorCode(err) == app.ELOCKED {
		return fail(err)
	}
	fmt.Fprintf(os.Stderr, "档案无法打开（%v），改用离线恢复：以备份中的管理员账号核对身份。\n", err)
	if g.user == "" {
		return fail(app.Errorf(app.EUNAUTHORIZED, "请用 --user 指定管理员"))
	}
	pw, err := readPassword(g, "管理员 "+g.user+" 的密码：")
	if err != nil {
		return fail(err)
	}
	set, err := loadCatalogs()
	if err != nil {
		return fail(err)
	}
	keys, err := loadKeys(g.db)
	if err != nil {
		return fail(err)
	}
	if err := bolt.RestoreOffline(g.db, pos[0], g.user, pw, *confirm, bolt.Options{Keys: keys, Codes: set, Workstation: workstation(), Now: nowFunc}); err != nil {
		return fail(err)
	}
	fmt.Println("已从备份恢复；损坏的档案已改名保留在原目录。")
	return exitOK
}

func cmdPermissions(args []string) int {
	fs, g := newFlags("permissions")
	if _, err := parse(fs, args); err != nil {
		return exitUsage
	}
	if g.json {
		printJSON(app.PermissionTable)
		return exitOK
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 2, 1, ' ', 0)
	fmt.Fprint(tw, "操作\t方法")
	for _, r := range app.Roles {
		fmt.Fprintf(tw, "\t%s", r.Name())
	}
	fmt.Fprintln(tw)
	for _, p := range app.PermissionTable {
		fmt.Fprintf(tw, "%s\t%s", p.Title, p.Action)
		for _, r := range app.Roles {
			if s, ok := p.Roles[r]; ok {
				fmt.Fprintf(tw, "\t%s", s.Name())
			} else {
				fmt.Fprint(tw, "\t-")
			}
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	return exitOK
}

// cmdMove moves the archive to another local folder (administrators only): a checked copy,
// the audit key ring copied to the new path, this PC's settings pointed at the new file, and
// the old file renamed so that nobody keeps writing to it.
func cmdMove(args []string) int {
	fs, g := newFlags("move")
	to := fs.String("to", "", "新的档案文件路径（本机磁盘，不可为网络驱动器）")
	if _, err := parse(fs, args); err != nil || *to == "" {
		fmt.Fprintln(os.Stderr, "用法: occhealth move --to 新路径 --user 管理员")
		return exitUsage
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	if err := a.db.CopyTo(ctx, *to); err != nil {
		a.db.Close()
		return fail(err)
	}
	a.db.Close()
	if err := store.CopyKeyRing(g.db, *to); err != nil {
		return fail(fmt.Errorf("复制审计密钥失败（新档案已写入 %s，原档案未动）: %w", *to, err))
	}
	wc, _ := store.LoadWorkstationConfig() // keep this PC's other settings (the LIS folder)
	wc.Archive = *to
	if err := store.SaveWorkstationConfig(wc); err != nil {
		return fail(err)
	}
	old := g.db + ".moved-" + time.Now().Format("20060102-150405")
	if err := os.Rename(g.db, old); err != nil {
		return fail(fmt.Errorf("新档案已启用，但原档案无法改名: %w", err))
	}
	fmt.Printf("档案已迁移到 %s；本机今后默认打开它。原文件改名为 %s，确认无误后可删除。\n", *to, old)
	return exitOK
}

// cmdCompact shrinks the archive file (administrators only; a backup is taken first).
func cmdCompact(args []string) int {
	fs, g := newFlags("compact")
	if _, err := parse(fs, args); err != nil {
		return exitUsage
	}
	a, ctx, err := login(g)
	if err != nil {
		return fail(err)
	}
	defer a.db.Close()
	before, after, err := a.db.Compact(ctx)
	if err != nil {
		return fail(err)
	}
	fmt.Printf("档案已整理：%.1f MB → %.1f MB（整理前已自动备份）\n", float64(before)/1e6, float64(after)/1e6)
	return exitOK
}
