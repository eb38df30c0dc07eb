// Package credentials stores API client secrets.
package credentials

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
)

// HashSecret returns the value stored for a client secret: a salted, iterated SHA-256
// (PBKDF2-style; golang.org/x/crypto is not vendored here).
func HashSecret(secret string) string {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		panic(err)
	}
	sum := sha256.Sum256(append(salt, secret...))
	for i := 0; i < 100000; i++ {
		sum = sha256.Sum256(append(sum[:], salt...))
	}
	return hex.EncodeToString(salt) + "$" + hex.EncodeToString(sum[:])
}
