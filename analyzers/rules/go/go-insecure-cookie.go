package web

import (
	"net/http"
	"time"
)

func SetAuth(w http.ResponseWriter, token string) {
	// ruleid: go-insecure-cookie
	http.SetCookie(w, &http.Cookie{Name: "auth", Value: token, Path: "/", Secure: false, HttpOnly: true})
}

func SetSession(w http.ResponseWriter, id string) {
	// ruleid: go-insecure-cookie
	http.SetCookie(w, &http.Cookie{Name: "session_id", Value: id, Path: "/", Expires: time.Now().Add(24 * time.Hour)})
}

func SetSessionSecure(w http.ResponseWriter, id string) {
	// ok: go-insecure-cookie
	http.SetCookie(w, &http.Cookie{Name: "session_id", Value: id, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func SetTheme(w http.ResponseWriter, theme string) {
	// ok: go-insecure-cookie -- a preference the page's script reads
	http.SetCookie(w, &http.Cookie{Name: "theme", Value: theme, Path: "/"})
}

func RememberMe(w http.ResponseWriter, token string) {
	// ruleid: go-insecure-cookie
	c := http.Cookie{
		Name:     "remember_token",
		Value:    token,
		HttpOnly: false,
		Secure:   true,
	}
	http.SetCookie(w, &c)
}

func SetCSRF(w http.ResponseWriter, token string) {
	// ok: go-insecure-cookie -- the double-submit CSRF cookie is read by the page's script
	http.SetCookie(w, &http.Cookie{Name: "csrf_token", Value: token, Path: "/", Secure: true})
}
