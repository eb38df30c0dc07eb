package users

import (
	"crypto/hmac"
	"crypto/md5"
	legacy "crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
)

func HashPassword(password string) string {
	// ruleid: go-weak-hash
	sum := md5.Sum([]byte(password))
	return hex.EncodeToString(sum[:])
}

func Fingerprint(user, apiKey string) []byte {
	// ruleid: go-weak-hash
	h := sha1.Sum([]byte(user + ":" + apiKey))
	return h[:]
}

func HashPasswordSafely(password string) [32]byte {
	// ok: go-weak-hash
	return sha256.Sum256([]byte(password))
}

func ETag(body []byte) string {
	// ok: go-weak-hash
	sum := md5.Sum(body)
	return hex.EncodeToString(sum[:])
}

func SignWebhook(secret, body []byte) []byte {
	// ok: go-weak-hash
	mac := hmac.New(sha1.New, secret)
	mac.Write(body)
	return mac.Sum(nil)
}

func LegacyTokenDigest(token string) [16]byte {
	// ruleid: go-weak-hash
	return legacy.Sum([]byte(token))
}

func LegacyChecksum(blob []byte) [16]byte {
	// ok: go-weak-hash
	return legacy.Sum(blob)
}
