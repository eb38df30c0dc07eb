package client

import (
	"net/http"
	"net/url"
	"strings"
)

func Login(user, password string) (*http.Response, error) {
	form := url.Values{"user": {user}, "password": {password}}
	// ruleid: go-cleartext-credentials
	return http.PostForm("http://accounts.example.com/login", form)
}

func LoginTLS(user, password string) (*http.Response, error) {
	form := url.Values{"user": {user}, "password": {password}}
	// ok: go-cleartext-credentials
	return http.PostForm("https://accounts.example.com/login", form)
}

func Export(c *http.Client, user, pass string) (*http.Response, error) {
	// ruleid: go-cleartext-credentials
	req, err := http.NewRequest("GET", "http://reports.example.com/export.csv", nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(user, pass)
	return c.Do(req)
}

func Publish(c *http.Client, apiToken, body string) error {
	// ruleid: go-cleartext-credentials
	req, _ := http.NewRequest("POST", "http://events.example.com/v1/publish", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+apiToken)
	_, err := c.Do(req)
	return err
}

func LocalAgent(token string) (*http.Response, error) {
	// ok: go-cleartext-credentials
	req, _ := http.NewRequest("GET", "http://localhost:8500/v1/agent/self", nil)
	req.Header.Set("X-Consul-Token", token)
	return http.DefaultClient.Do(req)
}

func Status() (*http.Response, error) {
	// ok: go-cleartext-credentials
	return http.Get("http://status.example.com/health")
}
