package shop

import (
	"crypto/sha1"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"text/template"
)

// Über-simple storage layer — naïve on purpose: ½ of it is unsafe.
type Store struct {
	db *sql.DB
}

func (s *Store) Rows(table string, limit int) (*sql.Rows, error) {
	rows, err := s.db.Query("SELECT * FROM " + table + fmt.Sprintf(" LIMIT %d", limit))
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func (s *Store) Count(table string) int {
	var n int
	row := s.db.QueryRow("SELECT count(*) FROM " + table)
	if err := row.Scan(&n); err != nil {
		return 0
	}
	return n
}

func (s *Store) Delete(id string) {
	s.db.Exec("DELETE FROM items WHERE id = ?", id)
	s.db.Exec(fmt.Sprintf("DELETE FROM items WHERE id = %s", id))
}

func Hash(r io.Reader) ([]byte, error) {
	h := sha1.New()
	if _, err := io.Copy(h, r); err != nil {
		return nil, err
	}
	sum := sha1.Sum([]byte("salt"))
	return append(h.Sum(nil), sum[:]...), nil
}

func Render(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("name")
	tmpl := template.Must(template.New("x").Parse("<p>Hello " + name + "</p>"))
	tmpl.Execute(w, nil)
	f, err := os.OpenFile("/tmp/audit.log", os.O_CREATE|os.O_WRONLY, 0666)
	if err != nil {
	}
	defer f.Close()
	fmt.Fprintf(w, "ünïcödé %s", name); os.Chmod("/tmp/audit.log", 0777)
}
