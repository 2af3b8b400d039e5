package bolt

import (
	"context"
	"strings"
	"sync"

	"occhealth/app"
	"occhealth/app/rules"
	"occhealth/store/kv"
)

var keyRulesOverride = []byte("rules_override")

// plannerBox holds the rule table in force; an administrator's save swaps it at once.
type plannerBox struct {
	mu      sync.RWMutex
	current app.ItemPlanner
	bundled app.ItemPlanner
}

func (p *plannerBox) get() app.ItemPlanner {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.current
}

func (p *plannerBox) set(pl app.ItemPlanner) {
	p.mu.Lock()
	p.current = pl
	p.mu.Unlock()
}

// Planner returns the rule table in force (the archive's edited one, else the bundled one).
func (db *DB) Planner() app.ItemPlanner { return db.planner.get() }

// applyRuleOverride puts the archive's edited rule table in force, if there is one.
func (db *DB) applyRuleOverride() error {
	var data []byte
	if err := db.kv.View(func(tx kv.Tx) error {
		if b := tx.Bucket(bucketMeta).Get(keyRulesOverride); b != nil {
			data = append([]byte(nil), b...)
		}
		return nil
	}); err != nil || data == nil {
		return err
	}
	t, err := rules.Unmarshal(data)
	if err != nil {
		return err
	}
	db.planner.set(t)
	return nil
}

// RuleService implements app.RuleService.
type RuleService struct{ db *DB }

var _ app.RuleService = (*RuleService)(nil)

// NewRuleService returns the rule service of db.
func NewRuleService(db *DB) *RuleService { return &RuleService{db: db} }

// RuleTableOverride returns the edited table, or nil.
func (s *RuleService) RuleTableOverride(ctx context.Context) ([]byte, error) {
	var out []byte
	err := s.db.view(ctx, "RuleService.RuleTableOverride", func(tx kv.Tx, _ app.Scope) error {
		if b := tx.Bucket(bucketMeta).Get(keyRulesOverride); b != nil {
			out = append([]byte(nil), b...)
		}
		return nil
	})
	return out, err
}

// SaveRuleTable stores an edited table and puts it in force.
func (s *RuleService) SaveRuleTable(ctx context.Context, data []byte, reason string) error {
	var t *rules.Table
	err := s.db.update(ctx, "RuleService.SaveRuleTable", func(tx *txn) error {
		if strings.TrimSpace(reason) == "" {
			return app.FieldError("修改原因", "不能为空")
		}
		var err error
		if t, err = rules.Unmarshal(data); err != nil {
			return app.Errorf(app.EINVALID, "规则表有误：%v", err)
		}
		if err := tx.tx.Bucket(bucketMeta).Put(keyRulesOverride, data); err != nil {
			return err
		}
		_, err = appendAudit(tx.tx, tx.db.opts.Keys, app.AuditEntry{Time: tx.now, User: tx.username(), Workstation: tx.ws,
			Action: "RuleService.SaveRuleTable", Entity: "rules", Note: reason, RecordHash: storeHash(data)})
		return err
	})
	if err != nil {
		return err
	}
	s.db.planner.set(t)
	return nil
}

// ResetRuleTable returns to the bundled table.
func (s *RuleService) ResetRuleTable(ctx context.Context) error {
	err := s.db.update(ctx, "RuleService.ResetRuleTable", func(tx *txn) error {
		if tx.tx.Bucket(bucketMeta).Get(keyRulesOverride) == nil {
			return app.Errorf(app.ENOTFOUND, "规则表没有修改过")
		}
		if err := tx.tx.Bucket(bucketMeta).Delete(keyRulesOverride); err != nil {
			return err
		}
		_, err := appendAudit(tx.tx, tx.db.opts.Keys, app.AuditEntry{Time: tx.now, User: tx.username(), Workstation: tx.ws,
			Action: "RuleService.ResetRuleTable", Entity: "rules", Note: "恢复出厂规则表"})
		return err
	})
	if err != nil {
		return err
	}
	s.db.planner.set(s.db.planner.bundled)
	return nil
}
