// Helpers that import what they use under another name (labelled: vuln/safe per function).
package tools

import (
	legacyhash "crypto/md5"
	"crypto/sha256"
	"net/http"
	run "os/exec"
)

// vuln: command-injection
func ConvertUpload(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if err := run.Command("sh", "-c", "convert "+name+" out.png").Run(); err != nil {
		http.Error(w, "conversion failed", http.StatusInternalServerError)
	}
}

// safe: command-injection
func ConvertUploadSafe(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	if err := run.Command("convert", "--", name, "out.png").Run(); err != nil {
		http.Error(w, "conversion failed", http.StatusInternalServerError)
	}
}

// vuln: command-injection
func RunTool(w http.ResponseWriter, r *http.Request) {
	tool := r.FormValue("tool")
	_ = run.Command(tool, "--version").Run()
}

// safe: command-injection
func RunToolFixed(w http.ResponseWriter, r *http.Request) {
	_ = run.Command("convert", "--version").Run()
}

// vuln: weak-hash
func TokenFingerprint(token string) [16]byte {
	return legacyhash.Sum([]byte(token))
}

// safe: weak-hash
func TokenFingerprintSafe(token string) [32]byte {
	return sha256.Sum256([]byte(token))
}
