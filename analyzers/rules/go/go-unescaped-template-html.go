package render

import (
	"html"
	"html/template"
	"net/http"

	"github.com/microcosm-cc/bluemonday"
)

var page = template.Must(template.ParseFiles("page.html"))

func Comment(w http.ResponseWriter, r *http.Request) {
	body := r.FormValue("comment")
	// ruleid: go-unescaped-template-html
	page.Execute(w, map[string]any{"Comment": template.HTML(body)})
}

func Banner(w http.ResponseWriter, r *http.Request) {
	msg := "<b>" + r.URL.Query().Get("msg") + "</b>"
	// ruleid: go-unescaped-template-html
	data := struct{ Banner template.HTML }{Banner: template.HTML(msg)}
	page.Execute(w, data)
}

func CommentSafely(w http.ResponseWriter, r *http.Request) {
	body := bluemonday.UGCPolicy().Sanitize(r.FormValue("comment"))
	// ok: go-unescaped-template-html
	page.Execute(w, map[string]any{"Comment": template.HTML(body)})
}

func Footer(w http.ResponseWriter, r *http.Request) {
	name := html.EscapeString(r.FormValue("name"))
	// ok: go-unescaped-template-html
	page.Execute(w, map[string]any{"Footer": template.HTML("<i>" + name + "</i>"), "Name": r.FormValue("name")})
}
