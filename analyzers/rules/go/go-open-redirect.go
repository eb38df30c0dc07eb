package auth

import (
	"net/http"
	"net/url"

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
