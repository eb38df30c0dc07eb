package auth

import (
	"crypto"
	"crypto/rsa"
	"net/http"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"
)

func Login(w http.ResponseWriter, hash []byte, password string) {
	// ruleid: go-ignored-verification-error
	_ = bcrypt.CompareHashAndPassword(hash, []byte(password))
	setSession(w)
}

func CheckWebhook(pub *rsa.PublicKey, digest, sig []byte) {
	// ruleid: go-ignored-verification-error
	rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest, sig)
	process(digest)
}

func Claims(raw string, keyFunc jwt.Keyfunc) jwt.MapClaims {
	// ruleid: go-ignored-verification-error
	token, _ := jwt.Parse(raw, keyFunc)
	return token.Claims.(jwt.MapClaims)
}

func LoginSafely(w http.ResponseWriter, hash []byte, password string) {
	// ok: go-ignored-verification-error
	if err := bcrypt.CompareHashAndPassword(hash, []byte(password)); err != nil {
		http.Error(w, "invalid credentials", http.StatusUnauthorized)
		return
	}
	setSession(w)
}

func ClaimsSafely(raw string, keyFunc jwt.Keyfunc) (jwt.MapClaims, error) {
	// ok: go-ignored-verification-error
	token, err := jwt.Parse(raw, keyFunc, jwt.WithValidMethods([]string{"RS256"}))
	if err != nil || !token.Valid {
		return nil, err
	}
	return token.Claims.(jwt.MapClaims), nil
}

func setSession(w http.ResponseWriter) {}
func process(b []byte)                 {}
