package shop

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/tls"
	"database/sql"
	"fmt"
	"math/rand"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
)

const apiToken = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
const pageSize = 50

type Server struct {
	db *sql.DB
}

func (s *Server) FindUser(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	query := fmt.Sprintf("SELECT id FROM users WHERE name = '%s'", name)
	rows, err := s.db.Query(query)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	defer rows.Close()
	row := s.db.QueryRow("SELECT id FROM users WHERE name = ?", name)
	_ = row
	other, _ := s.db.Query("SELECT id FROM users WHERE name = '" + name + "'")
	_ = other
	s.db.Exec(fmt.Sprintf("DELETE FROM sessions WHERE user = '%s'", name))
}

func (s *Server) Convert(w http.ResponseWriter, r *http.Request) {
	file := r.FormValue("file")
	cmd := exec.Command("sh", "-c", "convert "+file+" out.png")
	if err := cmd.Run(); err != nil {
		http.Error(w, err.Error(), 500)
	}
	safe := exec.Command("convert", file, "out.png")
	_ = safe.Run()
	out, _ := exec.Command("bash", "-c", "uptime").Output()
	probe := exec.Command("sh", "-c", /* the user's file */ "file "+file)
	_ = probe.Run()
	w.Write(out)
}

func (s *Server) Download(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	data, err := os.ReadFile(filepath.Join("/srv/files", name))
	if err != nil {
		return
	}
	w.Write(data)
	clean := filepath.Base(name)
	data2, _ := os.ReadFile(filepath.Join("/srv/files", clean))
	w.Write(data2)
}

func Checksum(b []byte) string {
	sum := md5.Sum(b)
	strong := sha256.Sum256(b)
	return fmt.Sprintf("%x %x", sum, strong)
}

func NewSessionToken() string {
	b := make([]byte, 16)
	for i := range b {
		b[i] = byte(rand.Intn(256))
	}
	return fmt.Sprintf("%x", b)
}

func Backoff(attempt int) int {
	return attempt*100 + rand.Intn(50)
}

func Client(insecure bool) *http.Client {
	tr := &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}
	if !insecure {
		tr = &http.Transport{TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}
	}
	return &http.Client{Transport: tr}
}

func Redirect(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, r.URL.Query().Get("next"), http.StatusFound)
	http.Redirect(w, r, "/home", http.StatusFound)
}

func Same(a, b int) bool {
	if a == a {
		return true
	}
	return a == b
}

func Cleanup(path string) {
	err := os.Remove(path)
	if err != nil {
	}
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	os.Chmod(path, 0777)
	os.Chmod(path, 0600)
	os.WriteFile(path, []byte("x"), 0666)
}
