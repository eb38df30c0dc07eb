package auth

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

func AfterLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	// ruleid: go-open-redirect
	http.Redirect(w, r, next, http.StatusFound)
}

func Go(c *gin.Context) {
	// ruleid: go-open-redirect
	c.Redirect(http.StatusFound, c.Query("to"))
}

func Home(w http.ResponseWriter, r *http.Request) {
	// ok: go-open-redirect
	http.Redirect(w, r, "/home", http.StatusSeeOther)
}

func Order(w http.ResponseWriter, r *http.Request) {
	// ok: go-open-redirect -- a constant local path prefix keeps the redirect on this site
	http.Redirect(w, r, "/orders/"+r.FormValue("id"), http.StatusFound)
}

func Search(c *gin.Context) {
	// ok: go-open-redirect
	c.Redirect(http.StatusFound, "/results?q="+url.QueryEscape(c.Query("q")))
}

func Logout(w http.ResponseWriter, r *http.Request) {
	back := r.FormValue("return_to")
	// ruleid: go-open-redirect
	w.Header().Set("Location", back)
	w.WriteHeader(http.StatusFound)
}

func LogoutHome(w http.ResponseWriter, r *http.Request) {
	// ok: go-open-redirect
	w.Header().Set("Location", "/")
	w.WriteHeader(http.StatusFound)
}

func AfterLoginChecked(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		next = "/"
	}
	// ok: go-open-redirect
	http.Redirect(w, r, next, http.StatusFound)
}

func Continue(w http.ResponseWriter, r *http.Request) {
	u, err := url.Parse(r.FormValue("continue"))
	if err != nil || u.IsAbs() || u.Host != "" {
		http.Error(w, "bad redirect", http.StatusBadRequest)
		return
	}
	// ok: go-open-redirect
	http.Redirect(w, r, u.Path, http.StatusFound)
}

func keepQuery(w http.ResponseWriter, r *http.Request) {
	newPath := "../docs/"
	if q := r.URL.RawQuery; q != "" {
		newPath += "?" + q
	}
	// ok: go-open-redirect -- the request only adds a query string to a fixed path
	w.Header().Set("Location", newPath)
	w.WriteHeader(http.StatusMovedPermanently)
}
