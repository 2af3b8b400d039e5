package remote_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"occhealth/app"
	"occhealth/store/remote"
)

// The workload of TestWorkload4Processes: each of four client processes registers exams,
// enters results, concludes and signs them, and between exams saves the one shared employer
// from a copy read a moment earlier, so that the processes collide.
const (
	workloadClients = 4
	workloadRounds  = 8
)

type workloadOutcome struct {
	Signed    int      `json:"signed"`
	Saves     int      `json:"saves"`
	Conflicts int      `json:"conflicts"`
	Stale     int      `json:"stale"` // stale-version saves of an exam, refused as they must be
	Errors    []string `json:"errors"`
	Calls     int      `json:"calls"`
}

// TestWorkload4Processes runs the workload from four client processes against one server on
// loopback: every outcome is checked, no update is lost, every conflict reaches its client,
// the audit chain verifies afterwards. The throughput it logs is indicative only.
func TestWorkload4Processes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts four processes")
	}
	e := newEnv(t, nil)
	_, svc := e.dial(t, "管理")
	admin := setup(t, svc)
	emp := employer("南宁市兴宁区红星锰业有限公司", creditCode("91450102MA5K00001"))
	if _, err := svc.Employers.CreateEmployer(admin, emp); err != nil {
		t.Fatal(err)
	}
	c := &app.Contract{Number: "HT2026-001", EmployerID: emp.ID, Title: "2026年度在岗体检", Start: e.clock.Now(), End: e.clock.Now().AddDate(0, 1, 0),
		Place: app.PlaceOnSite, PlaceNote: "厂区医务室", Hazards: []string{"1038", "3008"}, ExamTypes: []string{"02"}}
	if err := svc.Contracts.CreateContract(admin, c); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= workloadClients; i++ {
		for _, u := range []*app.User{
			{Username: fmt.Sprintf("dengji%d", i), Name: "登记员", Roles: []app.Role{app.RoleRegistrar}},
			{Username: fmt.Sprintf("tijian%d", i), Name: "体检医生", Roles: []app.Role{app.RoleExamDoctor}},
			{Username: fmt.Sprintf("zhujian%d", i), Name: "主检医师", Roles: []app.Role{app.RoleChiefExaminer},
				Qualifications: []app.Qualification{{Kind: app.QualificationChiefExaminer, Number: fmt.Sprintf("ZJ-%d", i), ValidUntil: time.Date(2030, 12, 31, 0, 0, 0, 0, time.Local)}}},
		} {
			if err := svc.Users.CreateUser(admin, u, "Passw0rd1"); err != nil {
				t.Fatal(err)
			}
		}
	}
	start := time.Now()
	var wg sync.WaitGroup
	outcomes := make([]workloadOutcome, workloadClients)
	for i := 1; i <= workloadClients; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWorkloadChild$", "-test.v")
		cmd.Env = append(os.Environ(), "OCCHEALTH_WORKLOAD="+strings.Join([]string{e.addr, e.fp, strconv.Itoa(i), strconv.FormatInt(emp.ID, 10), strconv.FormatInt(c.ID, 10)}, "|"))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sc := bufio.NewScanner(out)
			found := false
			for sc.Scan() {
				if l, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "WORKLOAD: "); ok {
					found = json.Unmarshal([]byte(l), &outcomes[i-1]) == nil
				}
			}
			if err := cmd.Wait(); err != nil || !found {
				outcomes[i-1].Errors = append(outcomes[i-1].Errors, fmt.Sprintf("process %d: %v (outcome read: %v)", i, err, found))
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	var total workloadOutcome
	for i, o := range outcomes {
		for _, err := range o.Errors {
			t.Errorf("client %d: %s", i+1, err)
		}
		total.Signed += o.Signed
		total.Saves += o.Saves
		total.Conflicts += o.Conflicts
		total.Stale += o.Stale
		total.Calls += o.Calls
	}
	if total.Signed != workloadClients*workloadRounds || total.Stale != workloadClients*workloadRounds || total.Saves+total.Conflicts != workloadClients*workloadRounds {
		t.Fatalf("outcomes %+v", total)
	}
	got, err := svc.Employers.FindEmployerByID(admin, emp.ID)
	if err != nil || got.Version != emp.Version+int64(total.Saves) {
		t.Fatalf("employer version %d after %d saves from version %d: %v", got.Version, total.Saves, emp.Version, err)
	}
	exams, n, err := svc.Exams.FindExams(admin, app.ExamFilter{State: app.ExamConcluded})
	if err != nil || n != workloadClients*workloadRounds {
		t.Fatalf("%d signed exams (%d listed): %v", n, len(exams), err)
	}
	rep, err := svc.Audit.VerifyAudit(admin)
	if err != nil || !rep.OK {
		t.Fatalf("audit %+v: %v", rep, err)
	}
	t.Logf("%d processes × %d exams: %d signed, %d employer saves, %d conflicts surfaced, %d stale exam saves refused, %d calls in %v (%.0f calls/s, indicative: 2 shared cores); audit: %d entries verified",
		workloadClients, workloadRounds, total.Signed, total.Saves, total.Conflicts, total.Stale, total.Calls, elapsed.Round(time.Millisecond), float64(total.Calls)/elapsed.Seconds(), rep.Entries)
}

// TestWorkloadChild is one client process of TestWorkload4Processes (it does nothing
// otherwise).
func TestWorkloadChild(t *testing.T) {
	spec := os.Getenv("OCCHEALTH_WORKLOAD")
	if spec == "" {
		t.Skip("a client process of TestWorkload4Processes")
	}
	f := strings.Split(spec, "|")
	addr, fp := f[0], f[1]
	i, _ := strconv.Atoi(f[2])
	empID, _ := strconv.ParseInt(f[3], 10, 64)
	contractID, _ := strconv.ParseInt(f[4], 10, 64)
	var o workloadOutcome
	defer func() {
		b, _ := json.Marshal(o)
		fmt.Printf("WORKLOAD: %s\n", b)
	}()
	fail := func(format string, args ...any) { o.Errors = append(o.Errors, fmt.Sprintf(format, args...)) }
	c, err := remote.Dial(context.Background(), addr, fp, remote.Options{Workstation: fmt.Sprintf("工作站%d", i), Version: "测试版", RetryFor: 10 * time.Second})
	if err != nil {
		fail("dial: %v", err)
		return
	}
	defer c.Close()
	svc := c.Services()
	as := func(name string) context.Context {
		u, err := svc.Auth.Login(context.Background(), fmt.Sprintf("%s%d", name, i), "Passw0rd1")
		o.Calls++
		if err != nil {
			fail("login %s: %v", name, err)
			return context.Background()
		}
		return app.NewContextWithUser(context.Background(), u)
	}
	clerk, doctor, chief := as("dengji"), as("tijian"), as("zhujian")
	for r := 0; r < workloadRounds; r++ {
		// The shared employer, saved from a copy read a moment ago: a save or a conflict.
		cur, err := svc.Employers.FindEmployerByID(clerk, empID)
		o.Calls++
		if err != nil {
			fail("read employer: %v", err)
			return
		}
		w := &app.Worker{Name: "劳动者", IDNumber: idNumber(fmt.Sprintf("45010219%d%02d0101%d", 80+i, r+1, i))}
		err = svc.Workers.CreateWorker(clerk, w)
		o.Calls++
		if err != nil {
			fail("worker: %v", err)
			return
		}
		cur.Note = fmt.Sprintf("工作站%d 第%d次", i, r+1)
		_, err = svc.Employers.UpdateEmployer(clerk, cur)
		o.Calls++
		switch {
		case err == nil:
			o.Saves++
		case app.ErrorCode(err) == app.ECONFLICT && strings.Contains(err.Error(), "dengji"):
			o.Conflicts++
		default:
			fail("employer: %v", err)
		}
		e, err := svc.Exams.Register(clerk, app.Registration{WorkerID: w.ID, EmployerID: empID, ContractID: contractID, Type: app.ExamPeriodic,
			Hazards: []string{"1038", "3008"}, Date: svc.Now()})
		o.Calls++
		if err != nil {
			fail("register: %v", err)
			return
		}
		registered := e.Version
		if e, err = svc.Records.SaveResults(doctor, e.ID, e.Version, workloadResults()); err != nil {
			fail("results: %v", err)
			return
		}
		o.Calls++
		// A second screen still holding the registered version saves too: refused.
		_, err = svc.Records.SaveResults(doctor, e.ID, registered, workloadResults()[:1])
		o.Calls++
		if app.ErrorCode(err) == app.ECONFLICT {
			o.Stale++
		} else {
			fail("stale results: %v", err)
		}
		if e, err = svc.Records.SaveConclusion(chief, e.ID, e.Version, app.ExamConclusion{Hazards: []app.HazardConclusion{{Hazard: "1038", Code: "01"}, {Hazard: "3008", Code: "01"}}, Advice: "定期复查"}); err != nil {
			fail("conclusion: %v", err)
			return
		}
		o.Calls++
		if _, err = svc.Records.Sign(chief, e.ID, e.Version); err != nil {
			fail("sign: %v", err)
			return
		}
		o.Calls++
		o.Signed++
	}
}

// workloadResults settles every required group of a 矽尘 + 噪声 in-service exam.
func workloadResults() []app.Result {
	rs := []app.Result{
		{GroupCode: "G0901", ItemCode: "3060100", Kind: app.ResultText, Value: "窦性心律，正常心电图"},
		{GroupCode: "G1101", ItemCode: "3080200", Value: "0"},
		{GroupCode: "G1201", ItemCode: "3020100", Kind: app.ResultNumeric, Value: "3.85", Unit: "L"},
		{GroupCode: "G1201", ItemCode: "3020200", Kind: app.ResultNumeric, Value: "3.10", Unit: "L"},
		{GroupCode: "G1201", ItemCode: "3020300", Kind: app.ResultNumeric, Value: "80.5", Unit: "%"},
	}
	for _, it := range []string{"3040100", "3040200", "3040300", "3040400", "3040500", "3040600", "3040800", "3040900", "3041000", "3041100", "3041200", "3041300",
		"3050100", "3050200", "3050300", "3050400", "3050500", "3050600", "3050800", "3050900", "3051000", "3051100", "3051200", "3051300"} {
		rs = append(rs, app.Result{GroupCode: "G1301", ItemCode: it, Value: "20"})
	}
	return rs
}
