package auth

import (
	"errors"

	"github.com/golang-jwt/jwt/v5"
)

var key = []byte(nil)

func Subject(raw string) (string, error) {
	claims := jwt.MapClaims{}
	// ruleid: go-jwt-unverified
	_, _, err := jwt.NewParser().ParseUnverified(raw, claims)
	if err != nil {
		return "", err
	}
	return claims["sub"].(string), nil
}

func Verify(raw string) (*jwt.Token, error) {
	// ruleid: go-jwt-unverified
	return jwt.Parse(raw, func(t *jwt.Token) (interface{}, error) {
		return key, nil
	})
}

func VerifyStrict(raw string) (*jwt.Token, error) {
	// ok: go-jwt-unverified
	return jwt.Parse(raw, func(t *jwt.Token) (interface{}, error) {
		if _, ok := t.Method.(*jwt.SigningMethodHMAC); !ok {
			return nil, errors.New("unexpected signing method")
		}
		return key, nil
	})
}

func VerifyWithOption(raw string) (*jwt.Token, error) {
	// ok: go-jwt-unverified
	return jwt.Parse(raw, func(t *jwt.Token) (any, error) { return key, nil }, jwt.WithValidMethods([]string{"HS256"}))
}

func Unsigned(claims jwt.MapClaims) (string, error) {
	// ruleid: go-jwt-unverified
	return jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
}
