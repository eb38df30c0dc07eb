// Package auth: hashing, ciphers, keys, TLS and secrets as an assistant writes them (labelled).
package auth

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"crypto/rc4"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/crypto/bcrypt"
)

// vuln: weak-hash
func hashPassword(password string) string {
	sum := md5.Sum([]byte(password))
	return hex.EncodeToString(sum[:])
}

// safe: weak-hash
func hashPasswordSafe(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	return string(h), err
}

// vuln: weak-hash
func signPayload(secret, payload string) string {
	h := sha1.New()
	h.Write([]byte(secret + payload))
	return hex.EncodeToString(h.Sum(nil))
}

// safe: weak-hash
func signPayloadSafe(secret, payload string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(payload))
	return hex.EncodeToString(mac.Sum(nil))
}

// vuln: weak-hash
func verifyWebhook(secret []byte, body []byte, signature string) bool {
	mac := hmac.New(md5.New, secret)
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil)) == signature
}

// safe: weak-hash
func fileChecksum(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// vuln: weak-hash
func apiKeyFingerprint(apiKey string) string {
	return hex.EncodeToString(sha1.New().Sum([]byte(apiKey)))
}

// vuln: weak-cipher
func encryptDES(key, plaintext []byte) ([]byte, error) {
	block, err := des.NewCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(plaintext))
	iv := make([]byte, des.BlockSize)
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, plaintext)
	return out, nil
}

// safe: weak-cipher
func encryptGCM(key, plaintext []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return gcm.Seal(nonce, nonce, plaintext, nil), nil
}

// vuln: weak-cipher
func encryptECB(key, data []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	for i := 0; i+aes.BlockSize <= len(data); i += aes.BlockSize {
		block.Encrypt(out[i:i+aes.BlockSize], data[i:i+aes.BlockSize])
	}
	return out, nil
}

// vuln: weak-cipher
func obfuscate(key, data []byte) ([]byte, error) {
	c, err := rc4.NewCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out, nil
}

// vuln: weak-cipher
func encrypt3DES(key, iv, data []byte) ([]byte, error) {
	block, err := des.NewTripleDESCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, data)
	return out, nil
}

// safe: weak-cipher
func decryptGCM(key, sealed []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	if len(sealed) < gcm.NonceSize() {
		return nil, errors.New("ciphertext too short")
	}
	return gcm.Open(nil, sealed[:gcm.NonceSize()], sealed[gcm.NonceSize():], nil)
}

// vuln: weak-key
func newSigningKey() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 1024)
}

// safe: weak-key
func newSigningKeySafe() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 3072)
}

// vuln: weak-key
func newDeviceKey() (*rsa.PrivateKey, error) {
	const bits = 512
	return rsa.GenerateKey(rand.Reader, bits)
}

// vuln: tls-verify
func newInsecureClient() *http.Client {
	tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// safe: tls-verify
func newClient() *http.Client {
	tr := &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// vuln: tls-verify
func dialDevice(addr string) (*tls.Conn, error) {
	conf := &tls.Config{}
	conf.InsecureSkipVerify = true
	return tls.Dial("tcp", addr, conf)
}

// safe: tls-verify
func dialDeviceSafe(addr, serverName string) (*tls.Conn, error) {
	return tls.Dial("tcp", addr, &tls.Config{ServerName: serverName, MinVersion: tls.VersionTLS12})
}

// vuln: tls-verify
func skipVerifyDefault() {
	http.DefaultTransport.(*http.Transport).TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
}

// vuln: weak-tls
func legacyServer(addr string, cert tls.Certificate) (net.Listener, error) {
	return tls.Listen("tcp", addr, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS10})
}

// safe: weak-tls
func modernServer(addr string, cert tls.Certificate) (net.Listener, error) {
	return tls.Listen("tcp", addr, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS13})
}

// vuln: hardcoded-secret
func openDB() (*sql.DB, error) {
	return sql.Open("postgres", "postgres://admin:Sup3rS3cretPw@db.internal:5432/app?sslmode=disable")
}

// safe: hardcoded-secret
func openDBSafe() (*sql.DB, error) {
	return sql.Open("postgres", os.Getenv("DATABASE_URL"))
}

// vuln: hardcoded-secret
var jwtSecret = []byte("my-super-secret-jwt-signing-key-2024")

func issueToken(userID string) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": userID, "exp": time.Now().Add(time.Hour).Unix()})
	return t.SignedString(jwtSecret)
}

// safe: hardcoded-secret
func issueTokenSafe(userID string) (string, error) {
	key := []byte(os.Getenv("JWT_SECRET"))
	if len(key) < 32 {
		return "", errors.New("JWT_SECRET not set or too short")
	}
	t := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": userID, "exp": time.Now().Add(time.Hour).Unix()})
	return t.SignedString(key)
}

// vuln: hardcoded-secret
const stripeAPIKey = "sk_live_51HxTqLKd9f8Gm2VbQ0zXy7aPwRt3uJn4"

// safe: hardcoded-secret
const stripeAPIBase = "https://api.stripe.com/v1"

// vuln: hardcoded-secret
func awsHeaders(req *http.Request) {
	req.Header.Set("X-Api-Key", "AKIAIOSFODNN7EXAMPLE")
	req.Header.Set("X-Api-Secret", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
}

// safe: hardcoded-secret
func newSessionID() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
