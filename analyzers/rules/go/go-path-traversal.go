package files

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"strconv"

	"github.com/gin-gonic/gin"
)

const baseDir = "/srv/app/uploads"

func Download(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	// ruleid: go-path-traversal
	data, err := os.ReadFile(filepath.Join(baseDir, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Write(data)
}

func Serve(w http.ResponseWriter, r *http.Request) {
	// ruleid: go-path-traversal
	http.ServeFile(w, r, filepath.Join(baseDir, r.FormValue("path")))
}

func Attachment(c *gin.Context) {
	p := filepath.Join("/srv/reports", c.Param("name"))
	// ruleid: go-path-traversal
	c.File(p)
}

func DownloadSafely(w http.ResponseWriter, r *http.Request) {
	name := filepath.Base(r.URL.Query().Get("file"))
	// ok: go-path-traversal
	data, err := os.ReadFile(filepath.Join(baseDir, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Write(data)
}

func Invoice(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		http.Error(w, "bad id", http.StatusBadRequest)
		return
	}
	// ok: go-path-traversal
	http.ServeFile(w, r, filepath.Join(baseDir, "invoices", strconv.Itoa(id)+".pdf"))
}

func Logo(w http.ResponseWriter, r *http.Request) {
	// ok: go-path-traversal
	http.ServeFile(w, r, filepath.Join(baseDir, "logo.png"))
}

func ReadAttachment(uploadDir, name string) ([]byte, error) {
	// ruleid: go-path-traversal
	return os.ReadFile(filepath.Join(uploadDir, name))
}

func ReadAttachmentChecked(uploadDir, name string) ([]byte, error) {
	if !filepath.IsLocal(name) {
		return nil, os.ErrInvalid
	}
	// ok: go-path-traversal
	return os.ReadFile(filepath.Join(uploadDir, name))
}

func OpenUnder(root, rel string) (*os.File, error) {
	p := filepath.Join(root, filepath.Clean("/"+rel))
	full := filepath.Join(root, rel)
	if !strings.HasPrefix(full, filepath.Clean(root)+string(os.PathSeparator)) {
		return nil, os.ErrPermission
	}
	_ = p
	// ok: go-path-traversal
	return os.Open(full)
}

func OpenUnchecked(root, rel string) (*os.File, error) {
	full := filepath.Join(root, rel)
	// ruleid: go-path-traversal
	return os.Open(full)
}
