package bolt

import (
	"context"
	"slices"

	"occhealth/app"
	"occhealth/store/kv"
)

// UserService implements app.UserService and app.AuthService.
type UserService struct{ db *DB }

var (
	_ app.UserService = (*UserService)(nil)
	_ app.AuthService = (*UserService)(nil)
)

// NewUserService returns the user service of db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

func findUserByName(tx kv.Tx, name string) (*app.User, []byte, bool, error) {
	id := tx.Bucket(bucketUsername).Get([]byte(name))
	if id == nil {
		return nil, nil, false, nil
	}
	var u app.User
	raw, ok, err := get(tx, bucketUsers, btoi(id), &u)
	return &u, raw, ok, err
}

// createUser stores u with its password hash; t.audit records it.
func (t *txn) createUser(u *app.User, password, action string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if err := app.CheckPassword(password); err != nil {
		return err
	}
	if t.tx.Bucket(bucketUsername).Get([]byte(u.Username)) != nil {
		return app.Errorf(app.ECONFLICT, "用户名“%s”已存在", u.Username)
	}
	id, err := t.nextID(bucketUsers)
	if err != nil {
		return err
	}
	hash, err := hashPassword(password, t.db.argon())
	if err != nil {
		return err
	}
	u.ID, u.Version, u.CreatedAt, u.UpdatedAt = int64(id), 1, t.now, t.now
	enc, err := t.put(bucketUsers, id, u)
	if err != nil {
		return err
	}
	if err := t.tx.Bucket(bucketUserPW).Put(itob(id), []byte(hash)); err != nil {
		return err
	}
	if err := t.tx.Bucket(bucketUsername).Put([]byte(u.Username), itob(id)); err != nil {
		return err
	}
	return t.auditCreate(action, "user", id, enc, "Name", u.Name, "Username", u.Username)
}

// Login checks a password. Failed attempts are audited too.
func (s *UserService) Login(ctx context.Context, username, password string) (*app.User, error) {
	var u *app.User
	var pwHash []byte
	err := s.db.kv.View(func(tx kv.Tx) error {
		var ok bool
		var err error
		u, _, ok, err = findUserByName(tx, username)
		if err != nil || !ok {
			u = nil
			return err
		}
		pwHash = append([]byte(nil), tx.Bucket(bucketUserPW).Get(itob(uint64(u.ID)))...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	ok := u != nil && checkPassword(password, string(pwHash))
	action := "AuthService.Login"
	note := "登录成功"
	if !ok {
		note = "登录失败：用户名或密码错误"
	} else if u.Disabled {
		note = "登录失败：用户已停用"
	}
	var id int64
	if u != nil {
		id = u.ID
	}
	logCtx := app.NewContextWithUser(ctx, &app.User{Username: username})
	if err := s.db.update(logCtx, "", func(t *txn) error {
		return t.auditEvent(action, "session", id, note)
	}); err != nil {
		return nil, err
	}
	if !ok {
		return nil, app.Errorf(app.EUNAUTHORIZED, "用户名或密码错误")
	}
	if u.Disabled {
		return nil, app.Errorf(app.EUNAUTHORIZED, "用户“%s”已停用，请联系管理员", username)
	}
	return u, nil
}

// auditEvent appends an entry that is not about a stored record (logins, backups, restores).
func (t *txn) auditEvent(action, entity string, id int64, note string) error {
	_, err := appendAudit(t.tx, t.db.opts.Keys, app.AuditEntry{
		Time: t.now, User: t.username(), Workstation: t.ws, Action: action, Entity: entity, EntityID: id, Note: note,
	})
	return err
}

// CreateUser creates a user.
func (s *UserService) CreateUser(ctx context.Context, u *app.User, password string) error {
	return s.db.update(ctx, "UserService.CreateUser", func(t *txn) error {
		return t.createUser(u, password, "UserService.CreateUser")
	})
}

// FindUsers lists users sorted by username.
func (s *UserService) FindUsers(ctx context.Context, f app.UserFilter) ([]*app.User, error) {
	var out []*app.User
	err := s.db.view(ctx, "UserService.FindUsers", func(tx kv.Tx, _ app.Scope) error {
		return tx.Bucket(bucketUsername).ForEach(func(k, v []byte) error {
			var u app.User
			if _, _, err := get(tx, bucketUsers, btoi(v), &u); err != nil {
				return err
			}
			if (f.Username != "" && u.Username != f.Username) || (f.Role != "" && !u.HasRole(f.Role)) || (u.Disabled && !f.IncludeDisabled) {
				return nil
			}
			out = append(out, &u)
			return nil
		})
	})
	return out, err
}

// FindUserByID returns one user; users who are not administrators see only themselves.
func (s *UserService) FindUserByID(ctx context.Context, id int64) (*app.User, error) {
	var u app.User
	err := s.db.view(ctx, "UserService.FindUserByID", func(tx kv.Tx, scope app.Scope) error {
		if scope == app.ScopeSelf && app.UserFromContext(ctx).ID != id {
			return app.Errorf(app.EFORBIDDEN, "只能查看本人的用户信息")
		}
		_, ok, err := get(tx, bucketUsers, uint64(id), &u)
		if err == nil && !ok {
			return app.Errorf(app.ENOTFOUND, "用户 %d 不存在", id)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

func (t *txn) loadUser(id int64) (*app.User, []byte, error) {
	var u app.User
	raw, ok, err := get(t.tx, bucketUsers, uint64(id), &u)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, app.Errorf(app.ENOTFOUND, "用户 %d 不存在", id)
	}
	return &u, raw, nil
}

func (t *txn) saveUser(u *app.User, old []byte, action, note string) error {
	u.Version++
	u.UpdatedAt = t.now
	enc, err := t.put(bucketUsers, uint64(u.ID), u)
	if err != nil {
		return err
	}
	return t.audit(action, "user", uint64(u.ID), old, enc, note)
}

// activeAdmins counts enabled administrators.
func activeAdmins(tx kv.Tx) (int, error) {
	n := 0
	err := tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
		var u app.User
		if err := decode(v, &u); err != nil {
			return err
		}
		if !u.Disabled && u.HasRole(app.RoleAdmin) {
			n++
		}
		return nil
	})
	return n, err
}

// UpdateUser changes name, roles and qualifications.
func (s *UserService) UpdateUser(ctx context.Context, id, version int64, upd app.UserUpdate) (*app.User, error) {
	var out *app.User
	err := s.db.update(ctx, "UserService.UpdateUser", func(t *txn) error {
		u, old, err := t.loadUser(id)
		if err != nil {
			return err
		}
		if u.Version != version {
			return conflict("用户“"+u.Username+"”", "", u.UpdatedAt)
		}
		wasAdmin := u.HasRole(app.RoleAdmin)
		if upd.Name != nil {
			u.Name = *upd.Name
		}
		if upd.Roles != nil {
			u.Roles = slices.Clone(*upd.Roles)
		}
		if upd.Qualifications != nil {
			u.Qualifications = slices.Clone(*upd.Qualifications)
		}
		if err := u.Validate(); err != nil {
			return err
		}
		if wasAdmin && !u.HasRole(app.RoleAdmin) {
			if u.ID == t.user.ID {
				return app.Errorf(app.EINVALID, "不能取消自己的管理员角色")
			}
			if n, err := activeAdmins(t.tx); err != nil {
				return err
			} else if n <= 1 && !u.Disabled {
				return app.Errorf(app.EINVALID, "“%s”是最后一位管理员，不能取消其管理员角色", u.Username)
			}
		}
		out = u
		return t.saveUser(u, old, "UserService.UpdateUser", "")
	})
	return out, err
}

// SetUserDisabled disables or re-enables a user.
func (s *UserService) SetUserDisabled(ctx context.Context, id int64, disabled bool) error {
	return s.db.update(ctx, "UserService.SetUserDisabled", func(t *txn) error {
		u, old, err := t.loadUser(id)
		if err != nil {
			return err
		}
		if u.Disabled == disabled {
			return nil
		}
		if disabled {
			if u.ID == t.user.ID {
				return app.Errorf(app.EINVALID, "不能停用自己")
			}
			if u.HasRole(app.RoleAdmin) {
				if n, err := activeAdmins(t.tx); err != nil {
					return err
				} else if n <= 1 {
					return app.Errorf(app.EINVALID, "“%s”是最后一位可用的管理员，不能停用", u.Username)
				}
			}
		}
		u.Disabled = disabled
		return t.saveUser(u, old, "UserService.SetUserDisabled", "")
	})
}

// ResetPassword sets a new password chosen by an administrator.
func (s *UserService) ResetPassword(ctx context.Context, id int64, password string) error {
	return s.db.update(ctx, "UserService.ResetPassword", func(t *txn) error {
		u, old, err := t.loadUser(id)
		if err != nil {
			return err
		}
		if err := app.CheckPassword(password); err != nil {
			return err
		}
		hash, err := hashPassword(password, t.db.argon())
		if err != nil {
			return err
		}
		if err := t.tx.Bucket(bucketUserPW).Put(itob(uint64(id)), []byte(hash)); err != nil {
			return err
		}
		u.MustChangePassword = u.ID != t.user.ID
		return t.saveUser(u, old, "UserService.ResetPassword", "密码已重置")
	})
}

// ChangePassword changes the caller's own password.
func (s *UserService) ChangePassword(ctx context.Context, oldPassword, newPassword string) error {
	return s.db.update(ctx, "UserService.ChangePassword", func(t *txn) error {
		u, old, err := t.loadUser(t.user.ID)
		if err != nil {
			return err
		}
		if !checkPassword(oldPassword, string(t.tx.Bucket(bucketUserPW).Get(itob(uint64(u.ID))))) {
			return app.Errorf(app.EUNAUTHORIZED, "原密码不正确")
		}
		if err := app.CheckPassword(newPassword); err != nil {
			return err
		}
		if oldPassword == newPassword {
			return app.FieldError("新密码", "不能与原密码相同")
		}
		hash, err := hashPassword(newPassword, t.db.argon())
		if err != nil {
			return err
		}
		if err := t.tx.Bucket(bucketUserPW).Put(itob(uint64(u.ID)), []byte(hash)); err != nil {
			return err
		}
		u.MustChangePassword = false
		return t.saveUser(u, old, "UserService.ChangePassword", "本人修改密码")
	})
}
