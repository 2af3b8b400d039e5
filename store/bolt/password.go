package bolt

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters (TECH.md: m=64 MiB, t=1–3, p=4 ≈ 110 ms). Fast parameters serve tests
// and the demo filler only; the parameters are stored with each hash.
type argonParams struct {
	memory  uint32
	time    uint32
	threads uint8
}

var (
	argonDefault = argonParams{64 * 1024, 2, 4}
	argonFast    = argonParams{1024, 1, 1}
)

// hashPassword returns a PHC-style string: $argon2id$v=19$m=…,t=…,p=…$salt$hash.
func hashPassword(pw string, p argonParams) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	h := argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, 32)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memory, p.time, p.threads, enc.EncodeToString(salt), enc.EncodeToString(h)), nil
}

// checkPassword compares pw with a stored hash in constant time.
func checkPassword(pw, stored string) bool {
	parts := strings.Split(stored, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var p argonParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

func (db *DB) argon() argonParams {
	if db.opts.FastPasswords {
		return argonFast
	}
	return argonDefault
}
