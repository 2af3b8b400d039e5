// Package demo fills an archive with realistic synthetic employers and workers through the
// app services, the same code path the GUI uses: valid identity numbers with real area codes,
// valid credit codes, surnames by frequency, work histories and exposures typical of
// Guangxi's industries (manganese, tin/lead-zinc mining, wood panels, sugar mills, welding).
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"occhealth/app"
	"occhealth/app/catalog"
)

// Options say how much to make.
type Options struct {
	Workers   int
	Employers int // 0: one employer per 150 workers, at least 5
	Seed      uint64
	// NoExams skips contracts and registrations (archive-only benchmarks).
	NoExams bool
	// NoRecords registers exams but records nothing (no results, conclusions or signatures).
	NoRecords bool
	// Progress is called now and then with the number of workers written.
	Progress func(done, total int)
	// RecordProgress is called now and then with the number of exams recorded.
	RecordProgress func(done, total int)
}

// Result counts what was made.
type Result struct {
	Employers int
	Workers   int
	Users     int
	Contracts int
	Exams     int
	// Recorded exams have results; Signed were signed by the chief examiner (Returned of them
	// once returned and signed again), Reviewed approved, Released handed over. Conclusions
	// counts hazard conclusions by code; Rechecks the recheck orders (each a linked 复查 exam);
	// Criticals the critical values flagged.
	Recorded, Signed, Returned, Reviewed, Released int
	Conclusions                                    map[string]int
	Rechecks, Criticals                            int
}

// DemoUsers are the demo archive's accounts (all with DemoPassword): one per role, so a
// visitor can try each desk.
var DemoUsers = []struct {
	Username string
	Name     string
	Roles    []app.Role
}{
	{"dengji", "周登记", []app.Role{app.RoleRegistrar}},
	{"tijian", "吴体检", []app.Role{app.RoleExamDoctor}},
	{"zhujian", "郑主检", []app.Role{app.RoleChiefExaminer, app.RoleExamDoctor}},
	{"shenhe", "王审核", []app.Role{app.RoleReviewer}},
	{"zhenduan", "冯诊断", []app.Role{app.RoleDiagnosisPhysician}},
	{"suifang", "陈随访", []app.Role{app.RoleFollowUpNurse}},
	{"tongji", "褚统计", []app.Role{app.RoleReportingClerk}},
}

// DemoPassword is the password of every demo account; it is shown on the login screen of a
// demo archive (and only there).
const DemoPassword = "demo1234"

// industry is an employer profile: GB/T 4754 小类, name patterns, jobs and hazards.
type industry struct {
	code    string
	suffix  []string
	jobs    [][2]string // code, workshop
	hazards []string
}

var industries = []industry{
	{"0919", []string{"锰矿开采有限公司", "锰业有限公司"}, [][2]string{{"00-13", "采矿车间"}, {"00-5", "选矿车间"}, {"00-16", "运输队"}}, []string{"1038", "3008", "2223"}},
	{"3240", []string{"锰业科技有限公司", "电解锰有限责任公司"}, [][2]string{{"00-29", "电解车间"}, {"09-021", "制粉车间"}}, []string{"2223", "3008", "3007"}},
	{"0912", []string{"锡业有限公司", "铅锌矿业有限公司"}, [][2]string{{"00-13", "井下采区"}, {"00-5", "选矿厂"}, {"00-3", "井下采区"}}, []string{"1038", "3008", "2237", "2275"}},
	{"2021", []string{"人造板有限公司", "木业有限公司"}, [][2]string{{"13-001", "热压车间"}, {"09-021", "砂光车间"}}, []string{"1023", "2158", "3008"}},
	{"1340", []string{"糖业有限公司", "制糖有限责任公司"}, [][2]string{{"00-33", "压榨车间"}, {"00-33", "锅炉房"}}, []string{"3008", "3007"}},
	{"3311", []string{"钢结构有限公司", "机械制造有限公司"}, [][2]string{{"09-033", "焊接车间"}, {"09-021", "打磨车间"}}, []string{"1006", "3008", "2223"}},
	{"3130", []string{"钢铁有限公司"}, [][2]string{{"00-29", "炼钢车间"}, {"00-31", "轧钢车间"}}, []string{"3007", "3008", "1006"}},
}

var places = []string{"南宁", "柳州", "桂林", "梧州", "北海", "百色", "河池", "来宾", "崇左", "贺州", "钦州", "贵港", "玉林", "防城港", "大新", "靖西", "平果", "田东", "南丹", "环江", "武宣", "象州"}
var brands = []string{"华锡", "鑫源", "桂发", "永盛", "南方", "金桂", "宏达", "荣华", "顺通", "恒昌", "新兴", "广源", "泰和", "瑞丰", "中联", "鸿运"}

// surnames with their approximate frequency (per mille) in Guangxi and China.
var surnames = []struct {
	s string
	w int
}{
	{"李", 79}, {"王", 72}, {"张", 70}, {"刘", 54}, {"陈", 53}, {"黄", 40}, {"杨", 38}, {"赵", 22}, {"吴", 21},
	{"周", 21}, {"韦", 20}, {"梁", 18}, {"覃", 15}, {"蒙", 8}, {"莫", 9}, {"蓝", 6}, {"农", 5}, {"卢", 9}, {"潘", 8},
	{"林", 12}, {"何", 12}, {"罗", 11}, {"谢", 8}, {"唐", 9}, {"邓", 9}, {"廖", 7}, {"曾", 7}, {"许", 6}, {"冯", 6},
	{"欧阳", 1}, {"单", 1}, {"区", 1}, {"翟", 1}, {"缪", 1}, {"解", 1}, {"黎", 5}, {"陆", 5}, {"苏", 5}, {"龙", 4},
}

var givenChars = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英玉兰华建国建华志强海燕春梅金凤德福荣光辉文斌红梅丽萍小红小兵东宁桂林桂芳柳青韦宁")

var rareChars = []rune("㐀㛃䶮𠀾𡈼堃喆犇淼昇")

// Fill writes opts.Employers employers and opts.Workers workers through svc, acting as ctx's
// user (who needs the registrar or admin role), and the demo accounts.
func Fill(ctx context.Context, svc app.Services, opts Options) (Result, error) {
	res := Result{Conclusions: map[string]int{}}
	users := map[string]*app.User{}
	r := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	now := svc.Now()
	for _, du := range DemoUsers {
		u := &app.User{Username: du.Username, Name: du.Name, Roles: du.Roles}
		if du.Username == "zhujian" {
			u.Qualifications = []app.Qualification{{Kind: "主检医师", Number: "ZJ2024-001", ValidUntil: now.AddDate(3, 0, 0)}}
		}
		if du.Username == "zhenduan" {
			u.Qualifications = []app.Qualification{{Kind: "职业病诊断医师资格", Categories: []string{"职业性尘肺病及其他呼吸系统疾病", "职业性化学中毒"}, ValidUntil: now.AddDate(2, 0, 0)}}
		}
		if err := svc.Users.CreateUser(ctx, u, DemoPassword); err != nil {
			return res, fmt.Errorf("demo user %s: %w", du.Username, err)
		}
		users[du.Username] = u
		res.Users++
	}
	counties := countyCodes(svc.Catalogs, "45")
	allCounties := countyCodes(svc.Catalogs, "")
	nEmp := opts.Employers
	if nEmp == 0 {
		nEmp = max(5, opts.Workers/150)
	}
	type emp struct {
		id      int64
		name    string
		ind     industry
		workers []int64
		jobs    map[int64][2]string
	}
	emps := make([]emp, 0, nEmp)
	usedCC := map[string]bool{}
	for i := 0; i < nEmp; i++ {
		ind := industries[r.IntN(len(industries))]
		area := counties[r.IntN(len(counties))]
		cc := creditCode(r, area)
		for usedCC[cc] {
			cc = creditCode(r, area)
		}
		usedCC[cc] = true
		e := &app.Employer{
			Name:             fmt.Sprintf("广西%s%s%s", places[r.IntN(len(places))], brands[r.IntN(len(brands))], ind.suffix[r.IntN(len(ind.suffix))]),
			CreditCode:       cc,
			AreaCode:         area,
			IndustryCode:     ind.code,
			EconomicTypeCode: []string{"173", "159", "160", "110", "171"}[r.IntN(5)],
			SizeCode:         []string{"01", "02", "03", "03", "04"}[r.IntN(5)],
			Address:          fmt.Sprintf("%s工业园区%d号", places[r.IntN(len(places))], 1+r.IntN(300)),
			ZipCode:          "53" + fmt.Sprintf("%04d", r.IntN(10000)),
			ContactPerson:    personName(r, false),
			ContactPhone:     phone(r),
		}
		if _, err := svc.Employers.CreateEmployer(ctx, e); err != nil {
			if app.ErrorCode(err) == app.ECONFLICT { // same name and code drawn twice: try again
				i--
				continue
			}
			return res, fmt.Errorf("demo employer %s: %w", e.Name, err)
		}
		emps = append(emps, emp{id: e.ID, name: e.Name, ind: ind, jobs: map[int64][2]string{}})
		res.Employers++
	}
	usedID := map[string]bool{}
	workers := map[int64]*app.Worker{}
	for i := 0; i < opts.Workers; i++ {
		birth := time.Date(1965+r.IntN(40), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		female := r.IntN(100) < 28
		var area string
		if r.IntN(100) < 85 {
			area = counties[r.IntN(len(counties))]
		} else {
			area = allCounties[r.IntN(len(allCounties))]
		}
		seq := 1 + r.IntN(499)*2
		if female {
			seq++
		}
		body := fmt.Sprintf("%s%s%03d", area, birth.Format("20060102"), seq%1000)
		id := body + string(app.IDCheckChar(body))
		if usedID[id] {
			i--
			continue
		}
		usedID[id] = true
		ei := r.IntN(len(emps))
		e := emps[ei]
		job := e.ind.jobs[r.IntN(len(e.ind.jobs))]
		start := birth.AddDate(18+r.IntN(10), r.IntN(12), 0)
		if start.After(now) {
			start = now.AddDate(0, -r.IntN(24)-1, 0)
		}
		w := &app.Worker{
			Name:     personName(r, r.IntN(1000) < 3),
			IDNumber: id,
			Phone:    phone(r),
			Address:  fmt.Sprintf("广西%s%s村%d号", places[r.IntN(len(places))], []string{"东", "西", "南", "北", "新"}[r.IntN(5)], 1+r.IntN(200)),
		}
		if r.IntN(100) < 20 && len(emps) > 1 { // an earlier job elsewhere
			prev := emps[r.IntN(len(emps))]
			pjob := prev.ind.jobs[r.IntN(len(prev.ind.jobs))]
			pstart := start
			if next := start.AddDate(2+r.IntN(5), 0, 0); next.Before(now.AddDate(0, -1, 0)) {
				start = next
				w.WorkHistory = append(w.WorkHistory, app.WorkPeriod{EmployerID: prev.id, Workshop: pjob[1], JobCode: pjob[0], Start: pstart, End: start.AddDate(0, 0, -1)})
			}
		}
		w.WorkHistory = append(w.WorkHistory, app.WorkPeriod{EmployerID: e.id, Workshop: job[1], JobCode: job[0], Start: start})
		for j, h := range e.ind.hazards {
			if j == 0 || r.IntN(100) < 60 {
				w.Exposures = append(w.Exposures, app.Exposure{HazardCode: h, Start: start})
			}
		}
		if err := svc.Workers.CreateWorker(ctx, w); err != nil {
			if app.ErrorCode(err) == app.ECONFLICT {
				i--
				continue
			}
			return res, fmt.Errorf("demo worker %d (%s %s): %w", i+1, w.Name, w.IDNumber, err)
		}
		res.Workers++
		if !opts.NoExams && !opts.NoRecords {
			workers[w.ID] = w
		}
		emps[ei].workers = append(emps[ei].workers, w.ID)
		emps[ei].jobs[w.ID] = job
		if opts.Progress != nil && (res.Workers%500 == 0 || res.Workers == opts.Workers) {
			opts.Progress(res.Workers, opts.Workers)
		}
	}
	var regs []registered
	if !opts.NoExams {
		inst, err := svc.Institution.Institution(ctx)
		if err != nil {
			return res, err
		}
		// The platform's settings, as an administrator types them in 上报设置 (the licence is a
		// made-up demo value), so that the demo's cards can be checked and exported.
		if svc.Cards != nil {
			zone := inst.AreaCode
			if len(zone) == 6 {
				zone += "000"
			}
			if err := svc.Cards.SaveCardSettings(ctx, app.CardSettings{ReportZoneCode: zone, ReportOrgCode: inst.Code,
				License: "DEMO-LICENSE-0000", Writer: "褚统计", WriterPhone: "0771-5550101", Reporter: "褚统计",
				ReporterPhone: "0771-5550101", DueDays: 15}); err != nil {
				return res, fmt.Errorf("demo card settings: %w", err)
			}
		}
		// One agreed item set for every contract, so that settlement sheets have something
		// to settle: the basic in-service panel every employer buys on top of the rule items.
		pkg := &app.ExamPackage{Name: "在岗期间基础套餐", Type: app.ExamPeriodic, Active: true, Groups: []app.PackageGroup{
			{GroupCode: "G0101", PriceFen: 2000}, {GroupCode: "G0102", PriceFen: 1500},
			{GroupCode: "G0103", PriceFen: 4000}, {GroupCode: "G0105", PriceFen: 1000}}}
		if err := svc.Packages.CreatePackage(ctx, pkg); err != nil {
			return res, fmt.Errorf("demo package: %w", err)
		}
		for i, e := range emps {
			var hazards []string
			for _, h := range e.ind.hazards {
				if c, ok := app.HazardCategoryOf(h); !ok || inst.HasHazardCategory(c) {
					hazards = append(hazards, h)
				}
			}
			if len(hazards) == 0 || len(e.workers) == 0 {
				continue
			}
			start := now.AddDate(0, 0, -r.IntN(40))
			c := &app.Contract{
				Number: fmt.Sprintf("HT%d-%04d", now.Year(), i+1), EmployerID: e.id,
				Title: fmt.Sprintf("%d年度在岗期间职业健康检查", now.Year()), Start: start, End: start.AddDate(0, 1, 0),
				Place: []app.Place{app.PlaceInHouse, app.PlaceOnSite}[r.IntN(2)], Hazards: hazards, ExamTypes: []string{"02"},
				Packages: []app.ContractPackage{{PackageID: pkg.ID, Name: pkg.Name, PriceFen: 7500}},
			}
			if c.Place == app.PlaceOnSite {
				c.PlaceNote = "企业厂区医务室"
			}
			for _, h := range hazards {
				c.Monitoring = append(c.Monitoring, monitoring(r, h, start))
			}
			if err := svc.Contracts.CreateContract(ctx, c); err != nil {
				return res, fmt.Errorf("demo contract %s: %w", c.Number, err)
			}
			res.Contracts++
			for _, wid := range e.workers {
				if r.IntN(100) >= 85 { // not every worker of the roster comes
					continue
				}
				job := e.jobs[wid]
				// Each worker is examined for the contract's hazards the archive says they are
				// exposed to (with a start date the case card needs), else for all of them.
				examined := hazards
				if w := workers[wid]; w != nil {
					var own []string
					for _, h := range hazards {
						if slices.ContainsFunc(w.Exposures, func(x app.Exposure) bool { return x.HazardCode == h }) {
							own = append(own, h)
						}
					}
					if len(own) > 0 {
						examined = own
					}
				}
				ex, err := svc.Exams.Register(ctx, app.Registration{
					WorkerID: wid, EmployerID: e.id, ContractID: c.ID, Type: app.ExamPeriodic,
					Hazards: examined, Date: minTime(start.AddDate(0, 0, r.IntN(10)), now), Workshop: job[1], JobCode: job[0],
					PackageIDs: []int64{pkg.ID},
				})
				if err != nil {
					return res, fmt.Errorf("demo exam of worker %d: %w", wid, err)
				}
				res.Exams++
				if r.IntN(100) < 3 {
					if _, err := svc.Exams.CancelExam(ctx, ex.ID, ex.Version, true, ""); err != nil {
						return res, err
					}
					continue
				}
				if w := workers[wid]; w != nil {
					jobName, _ := svc.Catalogs.CodeName(app.CatalogJobs, job[0])
					regs = append(regs, registered{exam: ex, worker: w, employer: e.name, job: jobName})
				}
			}
		}
	}
	if len(regs) > 0 {
		rc, err := newRecorder(ctx, svc, r, users, &res)
		if err != nil {
			return res, err
		}
		for i, x := range regs {
			if err := rc.record(x); err != nil {
				return res, fmt.Errorf("demo record of exam %s: %w", x.exam.Number, err)
			}
			if opts.RecordProgress != nil && ((i+1)%500 == 0 || i+1 == len(regs)) {
				opts.RecordProgress(i+1, len(regs))
			}
		}
	}
	return res, nil
}

// monitoring makes a plausible workplace monitoring result for a hazard.
func monitoring(r *rand.Rand, hazard string, before time.Time) app.MonitoringResult {
	m := app.MonitoringResult{HazardCode: hazard, Date: before.AddDate(0, -1-r.IntN(5), 0), ConcentrationType: "01"}
	switch hazard {
	case "3008":
		m.Value, m.Unit, m.ConcentrationType = fmt.Sprintf("%.1f", 78+r.Float64()*16), "dB(A)", "99"
	case "3007":
		m.Value, m.Unit, m.ConcentrationType = fmt.Sprintf("%.1f", 26+r.Float64()*8), "°C（WBGT）", "99"
	default:
		m.Value, m.Unit = fmt.Sprintf("%.2f", 0.05+r.Float64()*1.5), "mg/m³"
	}
	m.Grade = []string{"Ⅰ级", "Ⅱ级", ""}[r.IntN(3)]
	return m
}

func countyCodes(set *catalog.Set, prefix string) []string {
	c, ok := set.Catalog(app.CatalogAreas)
	var out []string
	if ok {
		for _, e := range c.Entries {
			if len(e.Code) == 6 && strings.HasPrefix(e.Code, prefix) && !strings.HasSuffix(e.Code, "00") {
				out = append(out, e.Code)
			}
		}
	}
	if len(out) == 0 {
		out = []string{"450102"}
	}
	return out
}

func personName(r *rand.Rand, rare bool) string {
	total := 0
	for _, s := range surnames {
		total += s.w
	}
	n := r.IntN(total)
	sur := surnames[0].s
	for _, s := range surnames {
		if n < s.w {
			sur = s.s
			break
		}
		n -= s.w
	}
	given := string(givenChars[r.IntN(len(givenChars))])
	if r.IntN(100) < 70 {
		given += string(givenChars[r.IntN(len(givenChars))])
	}
	if rare {
		given = string(rareChars[r.IntN(len(rareChars))]) + given[:len(string([]rune(given)[0]))]
	}
	return sur + given
}

func phone(r *rand.Rand) string {
	return fmt.Sprintf("1%d%d%08d", []int{3, 5, 7, 8, 9}[r.IntN(5)], r.IntN(10), r.IntN(100000000))
}

const orgAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCode makes a valid 统一社会信用代码 for a company (9 1) in area, with a valid
// embedded 组织机构代码.
func creditCode(r *rand.Rand, area string) string {
	var org strings.Builder
	org.WriteString("MA")
	for i := 0; i < 6; i++ {
		org.WriteByte(orgAlphabet[r.IntN(len(orgAlphabet))])
	}
	body8 := org.String()
	w := []int{3, 7, 9, 10, 5, 8, 4, 2}
	s := 0
	for i := 0; i < 8; i++ {
		c := body8[i]
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		s += v * w[i]
	}
	c9 := 11 - s%11
	check := byte('0' + c9)
	switch c9 {
	case 10:
		check = 'X'
	case 11:
		check = '0'
	}
	body := "91" + area + body8 + string(check)
	cc, _ := app.CreditCodeCheckChar(body)
	return body + string(cc)
}

// minTime returns the earlier of a and b (exams are recorded, so none is dated after today).
func minTime(a, b time.Time) time.Time {
	if a.After(b) {
		return b
	}
	return a
}
