package ui

import (
	"errors"
	"strings"

	"occhealth/app"
)

// fieldProblems splits a validation error of an entity into messages by field name, so that
// a form can show each one under its field. app.Errors.Err joins several field errors into
// one message "字段：说明；字段：说明"; a single *app.Error keeps its Field. Messages without a
// field go under "".
func fieldProblems(err error) map[string]string {
	out := map[string]string{}
	if err == nil {
		return out
	}
	var es app.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			add(out, e.Field, e.Message)
		}
		return out
	}
	var e *app.Error
	if errors.As(err, &e) && e.Field != "" {
		add(out, e.Field, e.Message)
		return out
	}
	for _, part := range strings.Split(app.ErrorMessage(err), "；") {
		field, msg, ok := strings.Cut(part, "：")
		if !ok {
			field, msg = "", part
		}
		add(out, field, msg)
	}
	return out
}

func add(m map[string]string, field, msg string) {
	if m[field] != "" {
		m[field] += "；" + msg
	} else {
		m[field] = msg
	}
}
