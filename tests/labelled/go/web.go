// Package web: HTTP handlers and clients as an assistant writes them (labelled: vuln/safe per function).
package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	texttemplate "text/template"
)

var allowedHosts = map[string]bool{"api.github.com": true, "hooks.slack.com": true}

// vuln: ssrf
func fetchURL(target string) ([]byte, error) {
	resp, err := http.Get(target)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// safe: ssrf
func fetchURLSafe(raw string) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "https" || !allowedHosts[u.Hostname()] {
		return nil, errors.New("host not allowed")
	}
	resp, err := http.Get(u.String())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// vuln: ssrf
func proxyHandler(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	resp, err := http.Get(target)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	io.Copy(w, resp.Body)
}

// safe: ssrf
func getWeather(city string) ([]byte, error) {
	resp, err := http.Get("https://api.weather.example.com/v1/current?city=" + url.QueryEscape(city))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// vuln: ssrf
func callWebhook(client *http.Client, webhookURL string, event map[string]string) error {
	body, _ := json.Marshal(event)
	req, err := http.NewRequest(http.MethodPost, webhookURL, strings.NewReader(string(body)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// safe: ssrf
func getRepo(client *http.Client, owner, repo string) (*http.Response, error) {
	u := fmt.Sprintf("https://api.github.com/repos/%s/%s", url.PathEscape(owner), url.PathEscape(repo))
	return client.Get(u)
}

// vuln: ssrf
func checkHealth(host string) (int, error) {
	resp, err := http.Get("https://" + host + "/healthz")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// vuln: xss
func helloHandler(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	fmt.Fprintf(w, "<h1>Hello, %s!</h1>", name)
}

// safe: xss
func helloHandlerSafe(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	fmt.Fprintf(w, "<h1>Hello, %s!</h1>", html.EscapeString(name))
}

// vuln: xss
func renderComment(w io.Writer, comment string) error {
	tmpl := template.Must(template.New("c").Parse(`<div class="comment">{{.}}</div>`))
	return tmpl.Execute(w, template.HTML(comment))
}

// safe: xss
func renderCommentSafe(w io.Writer, comment string) error {
	tmpl := template.Must(template.New("c").Parse(`<div class="comment">{{.}}</div>`))
	return tmpl.Execute(w, comment)
}

// vuln: xss
func searchHandler(w http.ResponseWriter, r *http.Request) {
	q := r.FormValue("q")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte("<p>No results for " + q + "</p>"))
}

// safe: xss
func searchAPIHandler(w http.ResponseWriter, r *http.Request) {
	q := r.FormValue("q")
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"query": q, "results": []string{}})
}

// vuln: xss
func renderProfile(w http.ResponseWriter, bio string) error {
	t, err := texttemplate.New("profile").Parse("<html><body><p>{{.}}</p></body></html>")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html")
	return t.Execute(w, bio)
}

// safe: xss
func renderProfileSafe(w http.ResponseWriter, bio string) error {
	t, err := template.New("profile").Parse("<html><body><p>{{.}}</p></body></html>")
	if err != nil {
		return err
	}
	return t.Execute(w, bio)
}

// vuln: xss
func errorPage(w http.ResponseWriter, msg string) {
	w.WriteHeader(http.StatusBadRequest)
	io.WriteString(w, "<html><body><h2>Error</h2><p>"+msg+"</p></body></html>")
}

// safe: xss
func errorPageSafe(w http.ResponseWriter, msg string) {
	w.WriteHeader(http.StatusBadRequest)
	io.WriteString(w, "<html><body><h2>Error</h2><p>"+template.HTMLEscapeString(msg)+"</p></body></html>")
}

// vuln: open-redirect
func loginRedirect(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	http.Redirect(w, r, next, http.StatusFound)
}

// safe: open-redirect
func loginRedirectSafe(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusFound)
}

// vuln: open-redirect
func redirectTo(w http.ResponseWriter, r *http.Request, target string) {
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// safe: open-redirect
func redirectHome(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/dashboard", http.StatusSeeOther)
}

// vuln: open-redirect
func logoutHandler(w http.ResponseWriter, r *http.Request) {
	returnTo := r.FormValue("return_to")
	w.Header().Set("Location", returnTo)
	w.WriteHeader(http.StatusFound)
}

// safe: open-redirect
func redirectAllowed(w http.ResponseWriter, r *http.Request, target string) {
	u, err := url.Parse(target)
	if err != nil || u.IsAbs() || u.Host != "" {
		http.Error(w, "bad redirect", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, u.Path, http.StatusFound)
}

// vuln: cleartext-credentials
func login(user, pass string) (*http.Response, error) {
	form := url.Values{"username": {user}, "password": {pass}}
	return http.PostForm("http://auth.example.com/api/login", form)
}

// safe: cleartext-credentials
func loginSafe(user, pass string) (*http.Response, error) {
	form := url.Values{"username": {user}, "password": {pass}}
	return http.PostForm("https://auth.example.com/api/login", form)
}

// vuln: cleartext-credentials
func fetchReport(client *http.Client, user, password string) (*http.Response, error) {
	req, err := http.NewRequest("GET", "http://reports.internal.example.com/daily.csv", nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(user, password)
	return client.Do(req)
}

// safe: cleartext-credentials
func fetchReportSafe(client *http.Client, user, password string) (*http.Response, error) {
	req, err := http.NewRequest("GET", "https://reports.internal.example.com/daily.csv", nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(user, password)
	return client.Do(req)
}

// vuln: cleartext-credentials
func sendToken(token string) error {
	req, _ := http.NewRequest("POST", "http://api.example.com/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	_, err := http.DefaultClient.Do(req)
	return err
}

// safe: cleartext-credentials
func localMetrics() (*http.Response, error) {
	return http.Get("http://localhost:9090/metrics")
}
