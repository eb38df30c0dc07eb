package web

import (
	"fmt"
	"html"
	"io"
	"log"
	"net/http"
)

func Hello(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ruleid: go-xss-response-writer
	fmt.Fprintf(w, "<h1>Hello %s</h1>", name)
}

func Search(w http.ResponseWriter, r *http.Request) {
	q := r.FormValue("q")
	// ruleid: go-xss-response-writer
	w.Write([]byte("<p>No results for " + q + "</p>"))
	// ruleid: go-xss-response-writer
	io.WriteString(w, "<a href=\"/search?q="+q+"\">again</a>")
}

func Status(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-xss-response-writer
	fmt.Fprintf(w, "<p>%s</p>", r.URL.Query().Get("q"))
	// ok: go-xss-response-writer -- constant output after a tainted write: the writer is not data
	fmt.Fprintln(w, "<p>done</p>")
}

func HelloSafely(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ok: go-xss-response-writer
	fmt.Fprintf(w, "<h1>Hello %s</h1>", html.EscapeString(name))
}

func Echo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	// ok: go-xss-response-writer
	fmt.Fprintln(w, r.FormValue("msg"))
}

func Audit(w http.ResponseWriter, r *http.Request) {
	// ok: go-xss-response-writer
	log.Printf("search for %q", r.FormValue("q"))
	w.WriteHeader(http.StatusNoContent)
}
