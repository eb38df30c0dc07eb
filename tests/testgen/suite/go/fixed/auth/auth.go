// Package auth holds the login handlers.
package auth

import (
	"net/http"
	"strings"
)

// AfterLogin sends the user back to the page they came from.
func AfterLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	// Only paths on this site: "/x", not "//host", "/\host" or "https://host".
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusFound)
}
