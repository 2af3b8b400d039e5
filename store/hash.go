package store

import (
	"crypto/sha256"
	"encoding/hex"
)

func shortPathHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:4])
}

// HashRecord returns the algorithm-prefixed hash of a record's canonical encoding.
func HashRecord(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}
