package config

import (
	"database/sql"
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
