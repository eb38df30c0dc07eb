// Package session: tokens and ids from math/rand, as an assistant writes them (labelled).
package session

import (
	"fmt"
	"math/rand"
	"net/http"
	"time"
)

const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// vuln: weak-random
func generateToken(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[rand.Intn(len(letters))]
	}
	return string(b)
}

// vuln: weak-random
func resetCode() string {
	rand.Seed(time.Now().UnixNano())
	return fmt.Sprintf("%06d", rand.Intn(1000000))
}

// vuln: weak-random
func setSessionCookie(w http.ResponseWriter) {
	sessionID := fmt.Sprintf("%x", rand.Int63())
	http.SetCookie(w, &http.Cookie{Name: "session", Value: sessionID, HttpOnly: true, Secure: true})
}

// safe: weak-random
func shuffleQuestions(questions []string) {
	rand.Shuffle(len(questions), func(i, j int) { questions[i], questions[j] = questions[j], questions[i] })
}

// safe: weak-random
func backoff(attempt int) time.Duration {
	base := time.Duration(1<<attempt) * 100 * time.Millisecond
	return base + time.Duration(rand.Int63n(int64(base/2)))
}

// safe: weak-random
func pickColor() string {
	colors := []string{"red", "green", "blue"}
	return colors[rand.Intn(len(colors))]
}

// vuln: cookie-flags
func setLoginCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: "auth", Value: token, Path: "/", Secure: false, HttpOnly: false})
}

// safe: cookie-flags
func setLoginCookieSafe(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: "auth", Value: token, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}
