package pages

import (
	"html/template"
	"net/http"
)

var page = template.Must(template.New("page").Parse(`<h1>Hello {{.Name}}</h1>`))

func Greeting(w http.ResponseWriter, r *http.Request) {
	greeting := r.URL.Query().Get("greeting")
	// ruleid: go-template-injection
	t, err := template.New("greet").Parse("<h1>" + greeting + "</h1>")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	t.Execute(w, nil)
}

func Custom(w http.ResponseWriter, r *http.Request) {
	tmpl := template.New("custom")
	// ruleid: go-template-injection
	tmpl, err := tmpl.Parse(r.FormValue("layout"))
	if err != nil {
		return
	}
	tmpl.Execute(w, r.FormValue("name"))
}

func GreetingSafely(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ok: go-template-injection
	page.Execute(w, map[string]string{"Name": name})
}

func Static(w http.ResponseWriter, r *http.Request) {
	// ok: go-template-injection
	t := template.Must(template.New("static").Parse(`<p>{{.}}</p>`))
	t.Execute(w, r.FormValue("msg"))
}
