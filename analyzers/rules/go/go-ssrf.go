package preview

import (
	"io"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"
	gmux "github.com/gorilla/mux"
)

func Preview(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	// ruleid: go-ssrf
	resp, err := http.Get(target)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	io.Copy(w, resp.Body)
}

func Webhook(c *gin.Context) {
	callback := c.PostForm("callback")
	// ruleid: go-ssrf
	req, _ := http.NewRequestWithContext(c.Request.Context(), http.MethodPost, callback, nil)
	http.DefaultClient.Do(req)
}

func User(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	// ok: go-ssrf
	resp, err := http.Get("https://api.example.com/users/" + url.PathEscape(id))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	io.Copy(w, resp.Body)
}

func Health(w http.ResponseWriter, r *http.Request) {
	// ok: go-ssrf
	req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, "https://status.example.com/health", nil)
	http.DefaultClient.Do(req)
}

// The router's package under another name is still the router (go-http-request-input).
func Mirror(w http.ResponseWriter, r *http.Request) {
	host := gmux.Vars(r)["host"]
	// ruleid: go-ssrf
	http.Get("https://" + host + "/status")
}

func Health(w http.ResponseWriter, r *http.Request) {
	// ok: go-ssrf
	http.Get("https://" + metrics.Vars(r)["host"] + "/status")
}
