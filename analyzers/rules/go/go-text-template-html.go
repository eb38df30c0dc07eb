package web

import (
	"net/http"
	// ruleid: go-text-template-html
	"text/template"

	// ok: go-text-template-html
	htmltemplate "html/template"
)

// ruleid: go-text-template-html
import ttemplate "text/template"

var page = template.Must(template.New("page").Parse(`<h1>Hello {{.Name}}</h1>`))
var mail = ttemplate.Must(ttemplate.New("mail").Parse("Hello {{.Name}}"))
var safePage = htmltemplate.Must(htmltemplate.New("page").Parse(`<h1>Hello {{.Name}}</h1>`))

func Hello(w http.ResponseWriter, r *http.Request) {
	page.Execute(w, map[string]string{"Name": r.FormValue("name")})
}

// ok: go-text-template-html
const templatePackage = "text/template"
