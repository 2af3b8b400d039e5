package app

import (
	"errors"
	"fmt"
)

// Error codes. The UI maps each code to a dialog in one place; the CLI maps them to exit codes.
const (
	ECONFLICT     = "conflict"     // the record changed since it was read, or a unique key is taken
	EINTERNAL     = "internal"     // a bug or an I/O failure
	EINVALID      = "invalid"      // the input breaks a rule; Message says which field and why
	ENOTFOUND     = "not_found"    // no such record
	EFORBIDDEN    = "forbidden"    // the user's roles do not allow the action
	EUNAUTHORIZED = "unauthorized" // not logged in, wrong password, or user disabled
	ELOCKED       = "locked"       // the archive is open in another program
	ECLOCK        = "clock"        // the workstation clock is earlier than the newest audit entry
	ESETUP        = "setup"        // the archive is not set up yet, or already set up
	EUNSAFE       = "unsafe"       // the requested location or action is unsafe (e.g. a network drive)
	EUNAVAILABLE  = "unavailable"  // the server cannot be reached; nothing was saved, try again
	EVERSION      = "version"      // this program and the server (or archive) differ in version: upgrade
)

// Error is an error a user can read: Code for programs, Message in Chinese for people.
// Field names the offending field (e.g. "身份证号") where there is one.
type Error struct {
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s：%s", e.Field, e.Message)
	}
	return e.Message
}

// Errorf returns an *Error with a formatted Chinese message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error about one field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns what a user should read about err: the Chinese message of an *Error,
// and a generic message otherwise (the details go to the log, not to the user).
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Error()
	}
	return "内部错误：" + err.Error()
}

// Errors collects several field errors (e.g. from Validate) so that a form can show them all.
type Errors []*Error

func (es Errors) Error() string {
	s := ""
	for i, e := range es {
		if i > 0 {
			s += "；"
		}
		s += e.Error()
	}
	return s
}

// Err returns nil when es is empty, the single error when there is one, and an EINVALID *Error
// joining all messages otherwise.
func (es Errors) Err() error {
	switch len(es) {
	case 0:
		return nil
	case 1:
		return es[0]
	}
	return &Error{Code: EINVALID, Message: es.Error()}
}
