package catalog

import (
	"strings"
	"sync"
)

// initialsCache holds the pinyin-initials function a Set was given and what it computed.
type initialsCache struct {
	mu   sync.Mutex
	fn   func(string) []string
	memo map[string][]string
}

// SetInitials gives the set a pinyin-initials function (the store provides one), so that pick
// lists can match 拼音首字母 — zyg for 职业机动车驾驶 — without app depending on a pinyin
// library. Without it, InitialsMatch always reports false.
func (s *Set) SetInitials(fn func(string) []string) {
	s.initials.mu.Lock()
	s.initials.fn, s.initials.memo = fn, map[string][]string{}
	s.initials.mu.Unlock()
}

// InitialsMatch reports whether a reading of text's pinyin initials starts with q (ASCII
// letters, any case). Results per text are remembered, so a pick list that filters thousands
// of entries on each keystroke computes each text once.
func (s *Set) InitialsMatch(text, q string) bool {
	if q == "" {
		return false
	}
	for i := 0; i < len(q); i++ {
		c := q[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	q = strings.ToLower(q)
	s.initials.mu.Lock()
	fn := s.initials.fn
	ini, ok := s.initials.memo[text]
	if !ok && fn != nil {
		ini = fn(text)
		s.initials.memo[text] = ini
	}
	s.initials.mu.Unlock()
	for _, x := range ini {
		if strings.HasPrefix(x, q) {
			return true
		}
	}
	return false
}
