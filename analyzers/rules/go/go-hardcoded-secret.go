package config

import (
	"database/sql"
	"net/http"
	"os"

	"github.com/golang-jwt/jwt/v5"
)

// ruleid: go-hardcoded-secret
const stripeAPIKey = "sk_live_51HqLyjWDarjtT1zdp7dc"

// ok: go-hardcoded-secret
const passwordEnvVar = "DB_PASSWORD"

type SMTP struct {
	Host     string
	Password string
}

func Mailer() SMTP {
	// ruleid: go-hardcoded-secret
	return SMTP{Host: "smtp.example.com", Password: "Tr0ub4dor&3"}
}

func Sign(claims jwt.MapClaims) (string, error) {
	// ruleid: go-hardcoded-secret
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte("my-jwt-signing-secret"))
}

func Open() (*sql.DB, error) {
	// ruleid: go-hardcoded-secret
	return sql.Open("mysql", "app:S3cretPass@tcp(db:3306)/shop")
}

func OpenFromEnv() (*sql.DB, error) {
	// ok: go-hardcoded-secret
	password := os.Getenv("DB_PASSWORD")
	// ok: go-hardcoded-secret
	return sql.Open("mysql", "app:"+password+"@tcp(db:3306)/shop")
}

func SignFromEnv(claims jwt.MapClaims) (string, error) {
	// ok: go-hardcoded-secret
	return jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(os.Getenv("JWT_SECRET")))
}

func Header() string {
	// ok: go-hardcoded-secret
	apiKeyHeader := "X-Api-Key"
	return apiKeyHeader
}

// ruleid: go-hardcoded-secret
var sessionSecret = []byte("k9Jz2QxL7vR4tB8m")

// ok: go-hardcoded-secret
var sessionSecretFromEnv = []byte(os.Getenv("SESSION_SECRET"))

func callPartner(req *http.Request, key string) {
	// ruleid: go-hardcoded-secret
	req.Header.Set("X-Api-Key", "pk_live_8a7sd6f5g4h3j2k1")
	// ruleid: go-hardcoded-secret
	req.Header.Set("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc123def456")
	// ok: go-hardcoded-secret
	req.Header.Set("X-Api-Key", key)
	// ok: go-hardcoded-secret
	req.Header.Set("Content-Type", "application/json")
}

// ruleid: go-hardcoded-secret
var jwtSigningSecret = []byte("my-super-secret-jwt-key")

// ok: go-hardcoded-secret -- a protocol label, not a key
var masterSecretLabel = []byte("master secret")
