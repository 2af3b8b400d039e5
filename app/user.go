package app

import (
	"context"
	"regexp"
	"time"
	"unicode/utf8"
)

// User is a person who logs in. The password hash is the store's business, never part of User.
type User struct {
	ID             int64
	Version        int64
	Username       string // login name: letters, digits, . _ -
	Name           string // real name, printed on signed documents
	Roles          []Role
	Qualifications []Qualification
	Disabled       bool
	// MustChangePassword is set when an administrator resets the password.
	MustChangePassword bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Qualification is a professional qualification a role may require (e.g. 职业病诊断医师资格
// with its categories, 主检医师).
type Qualification struct {
	Kind       string   // e.g. 职业病诊断医师资格
	Categories []string // e.g. 职业性尘肺病及其他呼吸系统疾病
	Number     string   // certificate number
	ValidUntil time.Time
}

// QualificationKinds are the kinds offered in the user form.
var QualificationKinds = []string{"职业病诊断医师资格", "主检医师", "放射工作人员职业健康检查资质", "执业医师", "执业护士"}

// ValidOn reports whether q is valid on day now (no expiry date means valid).
func (q Qualification) ValidOn(now time.Time) bool {
	return q.ValidUntil.IsZero() || !now.After(q.ValidUntil.AddDate(0, 0, 1))
}

// HasRole reports whether u holds role r.
func (u *User) HasRole(r Role) bool {
	for _, x := range u.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// HasQualification reports whether u holds a qualification of kind valid on day now.
func (u *User) HasQualification(kind string, now time.Time) bool {
	for _, q := range u.Qualifications {
		if q.Kind == kind && q.ValidOn(now) {
			return true
		}
	}
	return false
}

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,31}$`)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 8

// Validate checks the user's fields.
func (u *User) Validate() error {
	var es Errors
	if !usernameRE.MatchString(u.Username) {
		es = append(es, FieldError("用户名", "应为 2–32 位字母、数字或 . _ -，以字母或数字开头"))
	}
	if n, err := CheckPersonName("姓名", u.Name); err != nil {
		es = append(es, err.(*Error))
	} else {
		u.Name = n
	}
	if len(u.Roles) == 0 {
		es = append(es, FieldError("角色", "至少选择一个角色"))
	}
	seen := map[Role]bool{}
	for _, r := range u.Roles {
		if !r.Valid() {
			es = append(es, FieldError("角色", "未知角色“%s”", r))
		} else if seen[r] {
			es = append(es, FieldError("角色", "角色“%s”重复", r.Name()))
		}
		seen[r] = true
	}
	for i, q := range u.Qualifications {
		if q.Kind == "" {
			es = append(es, FieldError("资格", "第 %d 项资格未填写类别", i+1))
		}
	}
	return es.Err()
}

// CheckPassword checks a new password's strength.
func CheckPassword(p string) error {
	if utf8.RuneCountInString(p) < MinPasswordLength {
		return FieldError("密码", "至少 %d 位", MinPasswordLength)
	}
	hasLetter, hasDigit := false, false
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			hasDigit = true
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
			hasLetter = true
		}
	}
	if !hasLetter || !hasDigit {
		return FieldError("密码", "应同时包含字母和数字")
	}
	return nil
}

// UserFilter selects users.
type UserFilter struct {
	Username string
	Role     Role
	// IncludeDisabled lists disabled users too.
	IncludeDisabled bool
}

// UserUpdate holds the fields an administrator may change; nil means unchanged.
type UserUpdate struct {
	Name           *string
	Roles          *[]Role
	Qualifications *[]Qualification
}

// AuthService logs users in.
type AuthService interface {
	// Login checks the password and returns the user. EUNAUTHORIZED for an unknown user, a
	// wrong password or a disabled user (the message does not say which of the first two).
	Login(ctx context.Context, username, password string) (*User, error)
}

// UserService manages users. Every method needs a logged-in user in ctx (see Authorize).
type UserService interface {
	// CreateUser creates u with the password. EINVALID, ECONFLICT (username taken).
	CreateUser(ctx context.Context, u *User, password string) error
	// FindUsers lists users by username.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, error)
	// FindUserByID returns one user. ENOTFOUND.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// UpdateUser changes roles, qualifications or name. version is the version the editor read;
	// ECONFLICT when another change came first. An administrator cannot remove their own
	// 管理员 role, nor the last administrator's.
	UpdateUser(ctx context.Context, id, version int64, upd UserUpdate) (*User, error)
	// SetUserDisabled disables or re-enables a user. The last active administrator cannot be
	// disabled, nor can one disable oneself.
	SetUserDisabled(ctx context.Context, id int64, disabled bool) error
	// ResetPassword sets a new password and makes the user change it at the next login.
	ResetPassword(ctx context.Context, id int64, password string) error
	// ChangePassword changes the logged-in user's own password. EUNAUTHORIZED for a wrong old one.
	ChangePassword(ctx context.Context, oldPassword, newPassword string) error
}
