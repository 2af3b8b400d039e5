package remote

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// SecretFile is the server secret's file name in the server's configuration directory. Several
// server instances on one database share sessions when they share this file.
const SecretFile = "session.key"

// LoadOrCreateSecret reads the session secret in dir, creating it (32 random bytes, 0600) on
// first start.
func LoadOrCreateSecret(dir string) ([]byte, error) {
	path := filepath.Join(dir, SecretFile)
	b, err := os.ReadFile(path)
	if err == nil {
		s, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(s) < 32 {
			return nil, fmt.Errorf("session secret %s is damaged", path)
		}
		return s, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	s := make([]byte, 32)
	if _, err := rand.Read(s); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(s)+"\n"), 0o600); err != nil {
		return nil, err
	}
	return s, nil
}

// tokens mints and checks session tokens: user ID, expiry and a nonce, HMAC-SHA256-signed
// with the server secret.
type tokens struct {
	secret []byte
	ttl    time.Duration
}

const tokenPayload = 8 + 8 + 16

func (t tokens) mint(user int64, now time.Time) (string, error) {
	p := make([]byte, tokenPayload)
	binary.BigEndian.PutUint64(p, uint64(user))
	binary.BigEndian.PutUint64(p[8:], uint64(now.Add(t.ttl).Unix()))
	if _, err := rand.Read(p[16:]); err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, t.secret)
	m.Write(p)
	return base64.RawURLEncoding.EncodeToString(append(p, m.Sum(nil)...)), nil
}

var (
	errBadToken     = errors.New("bad token")
	errExpiredToken = errors.New("expired token")
)

// check returns the user ID of a valid token.
func (t tokens) check(tok string, now time.Time) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) != tokenPayload+sha256.Size {
		return 0, errBadToken
	}
	m := hmac.New(sha256.New, t.secret)
	m.Write(b[:tokenPayload])
	if !hmac.Equal(m.Sum(nil), b[tokenPayload:]) {
		return 0, errBadToken
	}
	if now.Unix() > int64(binary.BigEndian.Uint64(b[8:])) {
		return 0, errExpiredToken
	}
	return int64(binary.BigEndian.Uint64(b)), nil
}
