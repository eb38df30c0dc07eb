// Package auth holds the login handlers.
package auth

import "net/http"

// AfterLogin sends the user back to the page they came from.
func AfterLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusFound)
}
