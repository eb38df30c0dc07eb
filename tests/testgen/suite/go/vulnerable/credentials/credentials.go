// Package credentials stores API client secrets.
package credentials

import (
	"crypto/md5"
	"encoding/hex"
)

// HashSecret returns the value stored for a client secret.
func HashSecret(secret string) string {
	sum := md5.Sum([]byte(secret))
	return hex.EncodeToString(sum[:])
}
