package session

import (
	"math/rand"
	"time"
)

const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func NewResetToken() string {
	b := make([]byte, 32)
	for i := range b {
		// ruleid: go-insecure-random-secret
		b[i] = letters[rand.Intn(len(letters))]
	}
	return string(b)
}

type Session struct {
	ID    string
	Nonce int64
}

func Start(user string) Session {
	// ruleid: go-insecure-random-secret
	return Session{ID: user, Nonce: rand.Int63()}
}

func Issue() int {
	// ruleid: go-insecure-random-secret
	otpCode := 100000 + rand.Intn(900000)
	return otpCode
}

func Backoff(attempt int) time.Duration {
	// ok: go-insecure-random-secret
	jitter := time.Duration(rand.Intn(250)) * time.Millisecond
	return time.Duration(attempt)*time.Second + jitter
}

func PickServer(servers []string) string {
	// ok: go-insecure-random-secret
	return servers[rand.Intn(len(servers))]
}
