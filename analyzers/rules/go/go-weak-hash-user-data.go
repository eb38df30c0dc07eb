package profiles

import (
	"crypto/md5"
	legacy "crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
)

func AvatarID(email string) string {
	// ruleid: go-weak-hash-user-data
	sum := md5.Sum([]byte(email))
	return hex.EncodeToString(sum[:])
}

func DocumentID(w http.ResponseWriter, r *http.Request) {
	h := legacy.New()
	// ruleid: go-weak-hash-user-data
	io.WriteString(h, r.FormValue("content"))
	w.Write([]byte(hex.EncodeToString(h.Sum(nil))))
}

func UserKey(username string) string {
	h := md5.New()
	// ruleid: go-weak-hash-user-data
	h.Write([]byte(username))
	return hex.EncodeToString(h.Sum(nil))
}

func AvatarIDSafe(email string) string {
	// ok: go-weak-hash-user-data
	sum := sha256.Sum256([]byte(email))
	return hex.EncodeToString(sum[:])
}

func CacheKey(url string) string {
	// ok: go-weak-hash-user-data
	sum := md5.Sum([]byte(url))
	return hex.EncodeToString(sum[:])
}

func BuildStamp() string {
	// ok: go-weak-hash-user-data
	sum := md5.Sum([]byte("build-2024-11"))
	return hex.EncodeToString(sum[:])
}

func UserKeySafe(username string) string {
	h := sha256.New()
	// ok: go-weak-hash-user-data
	h.Write([]byte(username))
	return hex.EncodeToString(h.Sum(nil))
}

func Register(password string) string {
	// go-weak-hash reports a password's hash; this rule stays quiet.
	// ok: go-weak-hash-user-data
	sum := md5.Sum([]byte(password))
	return hex.EncodeToString(sum[:])
}
