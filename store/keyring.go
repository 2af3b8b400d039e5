package store

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Key is an institution key for the audit chain. It lives in the program's configuration
// directory, outside the archive file, so that someone who copies or edits the archive cannot
// recompute the chain.
type Key struct {
	ID      string    `json:"id"`  // first 16 hex digits of SHA-256(secret)
	Alg     string    `json:"alg"` // "hmac-sha256" (later "hmac-sm3")
	Secret  []byte    `json:"secret"`
	Created time.Time `json:"created"`
}

// KeyRing is every audit key this installation has had; the newest one signs.
type KeyRing struct {
	path string
	Keys []Key `json:"keys"`
}

// Current returns the key that signs new entries.
func (r *KeyRing) Current() Key { return r.Keys[len(r.Keys)-1] }

// ByID returns the key with that ID.
func (r *KeyRing) ByID(id string) (Key, bool) {
	for _, k := range r.Keys {
		if k.ID == id {
			return k, true
		}
	}
	return Key{}, false
}

// Path is the key ring file.
func (r *KeyRing) Path() string { return r.path }

func newKey(now time.Time) (Key, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return Key{}, fmt.Errorf("random key: %w", err)
	}
	sum := sha256.Sum256(secret)
	return Key{ID: hex.EncodeToString(sum[:8]), Alg: "hmac-sha256", Secret: secret, Created: now.UTC()}, nil
}

// LoadKeyRing reads the key ring at path, creating it with one new key when the file does not
// exist. The file is written with mode 0600 (on Windows the ProgramData ACL protects it).
func LoadKeyRing(path string, now time.Time) (*KeyRing, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		k, err := newKey(now)
		if err != nil {
			return nil, err
		}
		r := &KeyRing{path: path, Keys: []Key{k}}
		return r, r.save()
	} else if err != nil {
		return nil, fmt.Errorf("read key ring: %w", err)
	}
	r := &KeyRing{path: path}
	if err := json.Unmarshal(b, r); err != nil || len(r.Keys) == 0 {
		return nil, fmt.Errorf("key ring %s is damaged: %v", path, err)
	}
	return r, nil
}

// Rotate adds a new key, which signs from now on.
func (r *KeyRing) Rotate(now time.Time) error {
	k, err := newKey(now)
	if err != nil {
		return err
	}
	r.Keys = append(r.Keys, k)
	return r.save()
}

func (r *KeyRing) save() error {
	if r.path == "" { // a memory key ring (tests) is never written
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(r.path), 0o700); err != nil {
		return fmt.Errorf("key ring dir: %w", err)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	tmp := r.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("write key ring: %w", err)
	}
	return os.Rename(tmp, r.path)
}

// NewMemoryKeyRing returns a key ring that is never saved, for tests.
func NewMemoryKeyRing(now time.Time) *KeyRing {
	k, err := newKey(now)
	if err != nil {
		panic(err)
	}
	return &KeyRing{Keys: []Key{k}}
}
