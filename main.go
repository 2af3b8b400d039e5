// Command occhealth is 职业健康工作站: the GUI by default, and subcommands for administrators
// and scripts (see usage). The wiring lives here; the domain is in app, storage in store,
// documents in reports, screens in ui.
package main

import (
	"errors"
	"fmt"
	"os"

	"occhealth/app"
)

var version = "dev"

const usage = `职业健康工作站 %s

用法:
  occhealth [--db 档案路径]                      打开图形界面（默认）
  occhealth init      初始化空档案（机构与第一位管理员）
  occhealth user      add|list|disable|reset    用户管理（需管理员）
  occhealth employer  add|list                  用人单位
  occhealth worker    add|show                  劳动者档案
  occhealth roster    import 名单 --contract 编号  导入团检名单（预览，全部通过才写入）
  occhealth report    guide|labels --contract 编号 -o 文件.pdf  导检单、条码标签
  occhealth report    notice --exam 体检号 --kind suspected|contraindication|recheck --to 劳动者|用人单位 -o 文件.pdf  告知书
  occhealth report    exam 体检号 [--copy 联] -o 文件.pdf         职业健康检查报告（已签名的体检）
  occhealth report    summary|settlement --contract 编号 -o 文件.pdf  总结报告、结算单
  occhealth print     --contract 编号|--exam 体检号 [--docs ...] --printer 打印机  直接打印（--list-printers 列出打印机）
  occhealth results   import 文件 --source 来源 [--commit]   导入 LIS/仪器结果（预览，全部通过才写入）
  occhealth results   watch 文件夹 --source 来源              监视 LIS 放文件的文件夹
  occhealth rules     coverage [--edition 2014|2025]         GBZ 188 判定标准覆盖表
  occhealth cards     check|export --format national|hubei    个案卡预检与导出
  occhealth verify    校验审计链、记录哈希与外部锚点
  occhealth backup    立即备份（并按设置轮换）
  occhealth restore   从备份恢复（需管理员并输入机构名称确认）
  occhealth demo      生成演示档案（--workers N --seed S [--no-records]）
  occhealth permissions  打印权限表
  occhealth move      将档案迁移到本机另一位置（需管理员）
  occhealth compact   整理档案文件、回收空闲空间（需管理员，先自动备份）
  occhealth serve     --db 档案|postgres://… --listen :端口   运行联网服务器（无窗口）
  occhealth version

公共参数（放在子命令之后）:
  --db PATH             档案文件（默认 %s）
  --user NAME           以该用户身份执行
  --password-file F     从文件读取密码（否则在终端提示输入）
  --json                列表类命令输出 JSON

每个子命令的参数: occhealth 子命令 -h
`

// Exit codes.
const (
	exitOK        = 0
	exitError     = 1
	exitUsage     = 2
	exitLocked    = 3
	exitForbidden = 4
	exitVerify    = 5
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 || (len(args) > 0 && len(args[0]) > 0 && args[0][0] == '-' && args[0] != "-h" && args[0] != "--help") {
		return cmdGUI(args)
	}
	cmds := map[string]func([]string) int{
		"gui": cmdGUI, "init": cmdInit, "user": cmdUser, "employer": cmdEmployer, "worker": cmdWorker,
		"verify": cmdVerify, "backup": cmdBackup, "restore": cmdRestore, "demo": cmdDemo,
		"permissions": cmdPermissions, "move": cmdMove, "compact": cmdCompact, "roster": cmdRoster, "report": cmdReport, "results": cmdResults, "rules": cmdRules, "print": cmdPrint, "cards": cmdCards, "serve": cmdServe, "migrate": cmdMigrate,
		"version": func([]string) int { fmt.Println(version); return exitOK },
	}
	if f, ok := cmds[args[0]]; ok {
		return f(args[1:])
	}
	fmt.Fprintf(os.Stderr, usage, version, defaultArchive())
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		return exitOK
	}
	fmt.Fprintf(os.Stderr, "\n未知命令“%s”\n", args[0])
	return exitUsage
}

// fail prints err for a person and returns the matching exit code.
func fail(err error) int {
	fmt.Fprintln(os.Stderr, "错误："+app.ErrorMessage(err))
	var ae *app.Error
	if errors.As(err, &ae) {
		switch ae.Code {
		case app.ELOCKED:
			return exitLocked
		case app.EFORBIDDEN, app.EUNAUTHORIZED:
			return exitForbidden
		}
	}
	return exitError
}
