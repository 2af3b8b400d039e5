package assets

import _ "embed"

// CalendarCN is calendar/cn-workdays.json: the Chinese holidays and make-up workdays (调休) of
// the State Council's yearly notices, with their sources (calendar/README.md). Pass it to
// app.LoadCalendar; the archive uses it until an administrator saves a calendar of their own.
//
//go:embed calendar/cn-workdays.json
var CalendarCN []byte
