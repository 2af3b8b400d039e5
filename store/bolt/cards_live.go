package bolt

import (
	"bytes"
	"slices"

	"occhealth/app"
	"occhealth/store/kv"
)

// A card reports the signed exam's medical content, but the registry facts it carries (the
// worker's identity and phone, the employer's codes, address and contact) are read live: a
// clerk who corrects them after release (the pre-flight check's links lead there) sends the
// card again as 订正. Only the fields a card carries are taken from the archive, so that an
// unrelated edit changes nothing.

// liveWorker copies the card's fields of the archive's worker into the signed one; it reports
// whether anything differed.
func liveWorker(dst *app.Worker, cur *app.Worker) bool {
	changed := dst.Name != cur.Name || dst.DocType != cur.DocType || dst.IDNumber != cur.IDNumber || dst.Sex != cur.Sex ||
		!dst.BirthDate.Equal(cur.BirthDate) || dst.Phone != cur.Phone || !sameExposures(dst.Exposures, cur.Exposures)
	if changed {
		dst.Name, dst.DocType, dst.IDNumber, dst.Sex, dst.BirthDate, dst.Phone = cur.Name, cur.DocType, cur.IDNumber, cur.Sex, cur.BirthDate, cur.Phone
		dst.Exposures = slices.Clone(cur.Exposures)
	}
	return changed
}

// sameExposures compares exposures by value (times by instant: a decoded time's location
// differs with the encoding it came from).
func sameExposures(a, b []app.Exposure) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.HazardCode != y.HazardCode || x.HazardName != y.HazardName || !x.Start.Equal(y.Start) || !x.End.Equal(y.End) {
			return false
		}
	}
	return true
}

// liveEmployer does the same for an employer.
func liveEmployer(dst *app.Employer, cur *app.Employer) bool {
	a := [...]string{dst.Name, dst.CreditCode, dst.AreaCode, dst.IndustryCode, dst.EconomicTypeCode, dst.SizeCode, dst.Address, dst.ZipCode, dst.ContactPerson, dst.ContactPhone}
	b := [...]string{cur.Name, cur.CreditCode, cur.AreaCode, cur.IndustryCode, cur.EconomicTypeCode, cur.SizeCode, cur.Address, cur.ZipCode, cur.ContactPerson, cur.ContactPhone}
	if a == b {
		return false
	}
	dst.Name, dst.CreditCode, dst.AreaCode, dst.IndustryCode, dst.EconomicTypeCode, dst.SizeCode = cur.Name, cur.CreditCode, cur.AreaCode, cur.IndustryCode, cur.EconomicTypeCode, cur.SizeCode
	dst.Address, dst.ZipCode, dst.ContactPerson, dst.ContactPhone = cur.Address, cur.ZipCode, cur.ContactPerson, cur.ContactPhone
	return true
}

// overlayRegistry reads the live worker and employers of each exam and, where the card's
// fields differ from the signed ones, takes them and recomputes the exam's digest.
func overlayRegistry(tx kv.Tx, exams []*app.Exam, digests [][32]byte) error {
	workers, employers := tx.Bucket(bucketWorkers), tx.Bucket(bucketEmployers)
	wraw := make([][]byte, len(exams))
	eraw := map[int64][]byte{}
	for i, e := range exams {
		if e == nil || e.Record == nil || e.Record.Parties == nil {
			continue
		}
		wraw[i] = workers.Get(itob(uint64(e.WorkerID)))
		for _, id := range []int64{e.EmployerID, e.HostEmployerID} {
			if _, ok := eraw[id]; !ok && id != 0 {
				eraw[id] = employers.Get(itob(uint64(id)))
			}
		}
	}
	emps := make(map[int64]*app.Employer, len(eraw))
	for id, b := range eraw {
		if b == nil {
			continue
		}
		var e app.Employer
		if err := decode(b, &e); err != nil {
			return err
		}
		emps[id] = &e
	}
	errs := make([]error, len(exams))
	parallel(len(exams), func(i int) {
		e := exams[i]
		if wraw[i] == nil {
			return
		}
		p := *e.Record.Parties
		if v, ok := recordVersion(wraw[i]); ok && v == p.Worker.Version && !employerChanged(e, &p, emps) {
			return // nothing written since the signature: the signed facts are the live ones
		}
		var w app.Worker
		if err := decode(wraw[i], &w); err != nil {
			errs[i] = err
			return
		}
		changed := liveWorker(&p.Worker, &w)
		if cur := emps[e.EmployerID]; cur != nil && liveEmployer(&p.Employer, cur) {
			changed = true
		}
		if p.HostEmployer != nil {
			if cur := emps[e.HostEmployerID]; cur != nil {
				h := *p.HostEmployer
				if liveEmployer(&h, cur) {
					p.HostEmployer, changed = &h, true
				}
			}
		}
		if changed {
			r := *e.Record
			r.Parties = &p
			e.Record = &r
			digests[i] = examDigest(e)
		}
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// recordVersion reads the Version of a stored record without decoding it: the codec writes
// the struct's fields in order, and Version comes right after ID.
func recordVersion(raw []byte) (int64, bool) {
	const key = `"Version":`
	n := min(len(raw), 64)
	i := bytes.Index(raw[:n], []byte(key))
	if i < 0 {
		return 0, false
	}
	var v int64
	j := i + len(key)
	for ; j < len(raw) && raw[j] >= '0' && raw[j] <= '9'; j++ {
		v = v*10 + int64(raw[j]-'0')
	}
	return v, j > i+len(key)
}

// employerChanged reports whether the exam's employer or host employer differs, in what a
// card carries, from the signed ones (employers are few: decoded once per read).
func employerChanged(e *app.Exam, p *app.ExamParties, emps map[int64]*app.Employer) bool {
	if cur := emps[e.EmployerID]; cur != nil && cur.Version != p.Employer.Version {
		c := p.Employer
		if liveEmployer(&c, cur) {
			return true
		}
	}
	if p.HostEmployer != nil {
		if cur := emps[e.HostEmployerID]; cur != nil && cur.Version != p.HostEmployer.Version {
			c := *p.HostEmployer
			if liveEmployer(&c, cur) {
				return true
			}
		}
	}
	return false
}

// forgetRegistry drops the cached worklist entries of cards that carry the given workers or
// employers, so that the next worklist checks them again.
func (s *CardService) forgetRegistry(workers, employers []int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, m := range s.metas {
		if slices.Contains(workers, m.WorkerID) || slices.Contains(employers, m.EmployerID) || (m.HostID != 0 && slices.Contains(employers, m.HostID)) {
			delete(s.metas, id)
		}
	}
}
