package remote

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"

	"occhealth/app"
)

// Protocol is the wire generation: bump it when the envelope or the endpoints change. The API
// hash (generated) covers the methods and the types that travel.
const Protocol = 1

// Headers.
const (
	hdrProtocol    = "X-Occhealth-Protocol" // "1/78c6b2dbe7c9ea00": protocol and API hash
	hdrVersion     = "X-Occhealth-Version"  // the program version, for messages
	hdrRequest     = "X-Occhealth-Request"  // request ID, the same on every retry
	hdrWorkstation = "X-Occhealth-Workstation"
	hdrTime        = "X-Occhealth-Time" // the server's clock, on every response
	hdrHeartbeat   = "X-Occhealth-Heartbeat"
	timeLayout     = "2006-01-02T15:04:05.000000000Z07:00"
)

// generation is what a client and a server must share.
func generation() string { return fmt.Sprintf("%d/%s", Protocol, apiHash) }

// wireError is an *app.Error or app.Errors on the wire.
type wireError struct {
	Code    string      `json:"code"`
	Message string      `json:"message"`
	Field   string      `json:"field,omitempty"`
	Errors  []wireError `json:"errors,omitempty"` // set for app.Errors
}

// envelope is a call's response.
type envelope struct {
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *wireError      `json:"error,omitempty"`
	Session *session        `json:"session,omitempty"` // after Login and Setup.Initialize
}

type session struct {
	Token string `json:"token"`
	User  int64  `json:"user"`
}

// info answers GET /v1/info.
type info struct {
	Institution string `json:"institution"`
	Initialized bool   `json:"initialized"`
	Version     string `json:"version"`
	Protocol    int    `json:"protocol"`
	API         string `json:"api"`
}

// streamLine is one line of GET /v1/changes: a change notice or a heartbeat.
type streamLine struct {
	app.Change
	Heartbeat bool `json:"heartbeat,omitempty"`
}

// toWire turns an error into what the client sees. Errors that are not *app.Error or
// app.Errors become EINTERNAL with a generic message; internal says so.
func toWire(err error) (w *wireError, internal bool) {
	var es app.Errors
	if errors.As(err, &es) {
		w := &wireError{Code: app.EINVALID, Message: es.Error()}
		for _, e := range es {
			w.Errors = append(w.Errors, wireError{Code: e.Code, Message: e.Message, Field: e.Field})
		}
		return w, false
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return &wireError{Code: ae.Code, Message: ae.Message, Field: ae.Field}, false
	}
	return &wireError{Code: app.EINTERNAL, Message: "服务器内部错误，操作没有完成（详情见服务器日志）"}, true
}

// fromWire is the inverse of toWire.
func fromWire(w *wireError) error {
	if w.Errors != nil {
		es := make(app.Errors, len(w.Errors))
		for i, e := range w.Errors {
			es[i] = &app.Error{Code: e.Code, Message: e.Message, Field: e.Field}
		}
		return es
	}
	return &app.Error{Code: w.Code, Message: w.Message, Field: w.Field}
}

func escapeHeader(s string) string { return url.QueryEscape(s) }
func unescapeHeader(s string) string {
	v, err := url.QueryUnescape(s)
	if err != nil {
		return ""
	}
	return v
}

// idList is a []int64 on the wire: zigzag varints of the differences between neighbours, in
// standard base64, as one JSON string ("" for an empty list, null for nil). Search hits in
// name order are close to each other, so most take two or three bytes.
type idList []int64

func (l idList) MarshalJSON() ([]byte, error) {
	if l == nil {
		return []byte("null"), nil
	}
	buf := make([]byte, 0, len(l)*3)
	prev := int64(0)
	for _, id := range l {
		buf = binary.AppendVarint(buf, id-prev)
		prev = id
	}
	out := make([]byte, 0, base64.StdEncoding.EncodedLen(len(buf))+2)
	out = append(out, '"')
	out = base64.StdEncoding.AppendEncode(out, buf)
	return append(out, '"'), nil
}

func (l *idList) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*l = nil
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("id list: not a string")
	}
	raw, err := base64.StdEncoding.AppendDecode(nil, b[1:len(b)-1])
	if err != nil {
		return fmt.Errorf("id list: %w", err)
	}
	out := make(idList, 0, len(raw)/2)
	prev := int64(0)
	for len(raw) > 0 {
		d, n := binary.Varint(raw)
		if n <= 0 {
			return fmt.Errorf("id list: bad varint")
		}
		raw = raw[n:]
		prev += d
		out = append(out, prev)
	}
	*l = out
	return nil
}
