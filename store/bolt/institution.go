package bolt

import (
	"context"
	"encoding/json"

	"occhealth/app"
	"occhealth/store/kv"
)

// InstitutionService implements app.SetupService and app.InstitutionService.
type InstitutionService struct{ db *DB }

var (
	_ app.SetupService       = (*InstitutionService)(nil)
	_ app.InstitutionService = (*InstitutionService)(nil)
)

// NewInstitutionService returns the institution service of db.
func NewInstitutionService(db *DB) *InstitutionService { return &InstitutionService{db: db} }

func loadInstitution(tx kv.Tx) (*app.Institution, []byte, error) {
	b := tx.Bucket(bucketMeta).Get(keyInstitution)
	if b == nil {
		return nil, nil, nil
	}
	var in app.Institution
	raw := append([]byte(nil), b...)
	return &in, raw, decode(b, &in)
}

type demoLogin struct{ Username, Password string }

// Status tells whether the archive is set up.
func (s *InstitutionService) Status(ctx context.Context) (app.SetupStatus, error) {
	var st app.SetupStatus
	s.db.mu.RLock()
	defer s.db.mu.RUnlock()
	err := s.db.kv.View(func(tx kv.Tx) error {
		in, _, err := loadInstitution(tx)
		if err != nil || in == nil {
			return err
		}
		st.Initialized, st.Institution, st.Demo = true, in, in.Demo
		if b := tx.Bucket(bucketMeta).Get(keyDemoLogin); b != nil && in.Demo {
			var d demoLogin
			if err := json.Unmarshal(b, &d); err == nil {
				st.DemoUsername, st.DemoPassword = d.Username, d.Password
			}
		}
		return nil
	})
	return st, err
}

// Initialize stores the institution and the first administrator in one transaction.
func (s *InstitutionService) Initialize(ctx context.Context, in app.SetupInput) (*app.User, error) {
	admin := &app.User{Username: in.AdminUsername, Name: in.AdminName, Roles: []app.Role{app.RoleAdmin}}
	err := s.db.update(ctx, "", func(t *txn) error {
		if cur, _, err := loadInstitution(t.tx); err != nil {
			return err
		} else if cur != nil {
			return app.Errorf(app.ESETUP, "档案已经完成初始设置（%s）", cur.Name)
		}
		inst := in.Institution
		if err := inst.Validate(); err != nil {
			return err
		}
		if t.db.opts.Codes != nil {
			if name, ok := t.db.opts.Codes.CodeName(app.CatalogAreas, inst.AreaCode[:6]); ok {
				inst.AreaUnverified = false
				if inst.AreaName == "" {
					inst.AreaName = name
				}
			} else {
				inst.AreaUnverified = true
			}
		}
		inst.Version, inst.CreatedAt = 1, t.now
		t.user = admin
		if err := t.createUser(admin, in.AdminPassword, "SetupService.Initialize"); err != nil {
			return err
		}
		enc, err := encode(&inst)
		if err != nil {
			return err
		}
		if err := t.tx.Bucket(bucketMeta).Put(keyInstitution, enc); err != nil {
			return err
		}
		if inst.Demo {
			b, _ := json.Marshal(demoLogin{in.AdminUsername, in.AdminPassword})
			if err := t.tx.Bucket(bucketMeta).Put(keyDemoLogin, b); err != nil {
				return err
			}
		}
		return t.auditEvent("SetupService.Initialize", "institution", 0, "初始设置："+inst.Name+"（"+inst.Code+"）")
	})
	if err != nil {
		return nil, err
	}
	return admin, nil
}

// Institution returns the settings.
func (s *InstitutionService) Institution(ctx context.Context) (*app.Institution, error) {
	var in *app.Institution
	err := s.db.view(ctx, "InstitutionService.Institution", func(tx kv.Tx, _ app.Scope) error {
		var err error
		in, _, err = loadInstitution(tx)
		if err == nil && in == nil {
			return app.Errorf(app.ESETUP, "档案尚未完成初始设置")
		}
		return err
	})
	return in, err
}

// UpdateInstitution replaces the settings.
func (s *InstitutionService) UpdateInstitution(ctx context.Context, in *app.Institution) (*app.Institution, error) {
	var out app.Institution
	err := s.db.update(ctx, "InstitutionService.UpdateInstitution", func(t *txn) error {
		cur, old, err := loadInstitution(t.tx)
		if err != nil {
			return err
		}
		if cur == nil {
			return app.Errorf(app.ESETUP, "档案尚未完成初始设置")
		}
		if cur.Version != in.Version {
			return conflict("机构信息", "", cur.CreatedAt)
		}
		out = *in
		if err := out.Validate(); err != nil {
			return err
		}
		out.Demo, out.CreatedAt = cur.Demo, cur.CreatedAt
		if t.db.opts.Codes != nil {
			_, ok := t.db.opts.Codes.CodeName(app.CatalogAreas, out.AreaCode[:6])
			out.AreaUnverified = !ok
		}
		out.Version = cur.Version + 1
		enc, err := encode(&out)
		if err != nil {
			return err
		}
		if err := t.tx.Bucket(bucketMeta).Put(keyInstitution, enc); err != nil {
			return err
		}
		_, err = appendAudit(t.tx, t.db.opts.Keys, app.AuditEntry{Time: t.now, User: t.username(), Workstation: t.ws,
			Action: "InstitutionService.UpdateInstitution", Entity: "institution", Diff: diffJSON(old, enc)})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
