// Package store: database, shell and file helpers as an assistant writes them (labelled: vuln/safe per function).
package store

import (
	"archive/zip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"

	"github.com/jmoiron/sqlx"
	"gorm.io/gorm"
)

type User struct {
	ID    int64
	Name  string
	Email string
}

var errInvalidPath = errors.New("invalid path")

// vuln: command-injection
func listDir(dir string) (string, error) {
	out, err := exec.Command("sh", "-c", "ls -la "+dir).CombinedOutput()
	return string(out), err
}

// safe: command-injection
func listDirSafe(dir string) (string, error) {
	out, err := exec.Command("ls", "-la", "--", dir).CombinedOutput()
	return string(out), err
}

// vuln: command-injection
func compressFile(path string) error {
	cmd := fmt.Sprintf("tar czf %s.tar.gz %s", path, path)
	return exec.Command("bash", "-c", cmd).Run()
}

// safe: command-injection
func compressFileSafe(path string) error {
	return exec.Command("tar", "czf", path+".tar.gz", path).Run()
}

// vuln: command-injection
func pingHost(ctx context.Context, host string) ([]byte, error) {
	return exec.CommandContext(ctx, "/bin/sh", "-c", "ping -c 1 "+host).Output()
}

// safe: command-injection
func pingHostSafe(ctx context.Context, host string) ([]byte, error) {
	return exec.CommandContext(ctx, "ping", "-c", "1", host).Output()
}

// vuln: command-injection
func gitLog(repo, branch string) (string, error) {
	script := "cd " + repo + " && git log --oneline " + branch
	cmd := exec.Command("sh", "-c", script)
	out, err := cmd.Output()
	return string(out), err
}

// safe: command-injection
func gitLogSafe(repo, branch string) (string, error) {
	cmd := exec.Command("git", "log", "--oneline", branch)
	cmd.Dir = repo
	out, err := cmd.Output()
	return string(out), err
}

// vuln: command-injection
func makeThumbnail(src string, width int) error {
	shell := fmt.Sprintf("convert %s -resize %dx thumb.png", src, width)
	cmd := exec.Command("/bin/bash", "-c", shell)
	cmd.Stdout = os.Stdout
	return cmd.Run()
}

// safe: command-injection
func diskUsage() (string, error) {
	out, err := exec.Command("sh", "-c", "df -h | sort -k5 -r | head -5").Output()
	return string(out), err
}

// vuln: command-injection
func runUserScript(name string) error {
	return exec.Command("sh", "-c", strings.Join([]string{"./scripts/", name, ".sh"}, "")).Run()
}

// safe: command-injection
func runUserScriptSafe(name string) error {
	allowed := map[string]bool{"backup": true, "cleanup": true}
	if !allowed[name] {
		return fmt.Errorf("unknown script %q", name)
	}
	return exec.Command("./scripts/" + name + ".sh").Run()
}

// vuln: sql-injection
func getUser(db *sql.DB, name string) (*User, error) {
	u := &User{}
	row := db.QueryRow("SELECT id, name, email FROM users WHERE name = '" + name + "'")
	if err := row.Scan(&u.ID, &u.Name, &u.Email); err != nil {
		return nil, err
	}
	return u, nil
}

// safe: sql-injection
func getUserSafe(db *sql.DB, name string) (*User, error) {
	u := &User{}
	row := db.QueryRow("SELECT id, name, email FROM users WHERE name = $1", name)
	if err := row.Scan(&u.ID, &u.Name, &u.Email); err != nil {
		return nil, err
	}
	return u, nil
}

// vuln: sql-injection
func deleteOrder(db *sql.DB, id string) error {
	query := fmt.Sprintf("DELETE FROM orders WHERE id = %s", id)
	_, err := db.Exec(query)
	return err
}

// safe: sql-injection
func deleteOrderSafe(db *sql.DB, id int64) error {
	_, err := db.Exec("DELETE FROM orders WHERE id = ?", id)
	return err
}

// vuln: sql-injection
func searchProducts(ctx context.Context, db *sql.DB, term, sortBy string) (*sql.Rows, error) {
	q := "SELECT id, name FROM products WHERE name LIKE '%" + term + "%' ORDER BY " + sortBy
	return db.QueryContext(ctx, q)
}

// safe: sql-injection
func searchProductsSafe(ctx context.Context, db *sql.DB, term, sortBy string) (*sql.Rows, error) {
	col := "name"
	if sortBy == "price" {
		col = "price"
	}
	q := "SELECT id, name FROM products WHERE name LIKE $1 ORDER BY " + col
	return db.QueryContext(ctx, q, "%"+term+"%")
}

// vuln: sql-injection
func countRows(db *sql.DB, table string) (int, error) {
	var n int
	err := db.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM %s", table)).Scan(&n)
	return n, err
}

// safe: sql-injection
func countActiveUsers(db *sql.DB) (int, error) {
	var n int
	err := db.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE active", "users")).Scan(&n)
	return n, err
}

// vuln: sql-injection
func updateEmail(tx *sql.Tx, userID, email string) error {
	var b strings.Builder
	b.WriteString("UPDATE users SET email = '")
	b.WriteString(email)
	b.WriteString("' WHERE id = ")
	b.WriteString(userID)
	_, err := tx.Exec(b.String())
	return err
}

// safe: sql-injection
func updateEmailSafe(tx *sql.Tx, userID, email string) error {
	_, err := tx.Exec("UPDATE users SET email = $1 WHERE id = $2", email, userID)
	return err
}

// vuln: sql-injection
func findByRole(db *sqlx.DB, role string) ([]User, error) {
	var users []User
	err := db.Select(&users, "SELECT * FROM users WHERE role = '"+role+"'")
	return users, err
}

// safe: sql-injection
func findByRoleSafe(db *sqlx.DB, role string) ([]User, error) {
	var users []User
	err := db.Select(&users, "SELECT * FROM users WHERE role = ?", role)
	return users, err
}

// vuln: sql-injection
func findCustomer(db *gorm.DB, email string) (User, error) {
	var u User
	err := db.Where("email = '" + email + "'").First(&u).Error
	return u, err
}

// safe: sql-injection
func findCustomerSafe(db *gorm.DB, email string) (User, error) {
	var u User
	err := db.Where("email = ?", email).First(&u).Error
	return u, err
}

// vuln: sql-injection
func archiveBefore(db *gorm.DB, date string) error {
	return db.Exec(fmt.Sprintf("UPDATE posts SET archived = 1 WHERE created < '%s'", date)).Error
}

// vuln: path-traversal
func readFile(base, name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(base, name))
}

// safe: path-traversal
func readFileSafe(base, name string) ([]byte, error) {
	p := filepath.Join(base, filepath.Clean("/"+name))
	if !strings.HasPrefix(p, filepath.Clean(base)+string(os.PathSeparator)) {
		return nil, errInvalidPath
	}
	return os.ReadFile(p)
}

// vuln: path-traversal
func saveUpload(dir, filename string, data []byte) error {
	return os.WriteFile(dir+"/"+filename, data, 0o644)
}

// safe: path-traversal
func saveUploadSafe(dir, filename string, data []byte) error {
	name := filepath.Base(filename)
	if name == "." || name == ".." || name == string(os.PathSeparator) {
		return errInvalidPath
	}
	return os.WriteFile(filepath.Join(dir, name), data, 0o644)
}

// vuln: path-traversal
func openLog(name string) (*os.File, error) {
	return os.Open("/var/log/app/" + name)
}

// safe: path-traversal
func openLogSafe(name string) (*os.File, error) {
	if !filepath.IsLocal(name) {
		return nil, errInvalidPath
	}
	return os.Open(filepath.Join("/var/log/app", name))
}

// vuln: path-traversal
func deleteAvatar(userDir, file string) error {
	return os.Remove(path.Join(userDir, file))
}

// safe: path-traversal
func deleteAvatarSafe(userDir, file string) error {
	full, err := filepath.Abs(filepath.Join(userDir, file))
	if err != nil {
		return err
	}
	rel, err := filepath.Rel(userDir, full)
	if err != nil || strings.HasPrefix(rel, "..") {
		return errInvalidPath
	}
	return os.Remove(full)
}

// vuln: path-traversal
func extractZip(archive, dest string) error {
	r, err := zip.OpenReader(archive)
	if err != nil {
		return err
	}
	defer r.Close()
	for _, f := range r.File {
		target := filepath.Join(dest, f.Name)
		rc, err := f.Open()
		if err != nil {
			return err
		}
		out, err := os.Create(target)
		if err != nil {
			rc.Close()
			return err
		}
		_, err = io.Copy(out, rc)
		out.Close()
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// safe: path-traversal
func extractZipSafe(archive, dest string) error {
	r, err := zip.OpenReader(archive)
	if err != nil {
		return err
	}
	defer r.Close()
	for _, f := range r.File {
		target := filepath.Join(dest, f.Name)
		if !strings.HasPrefix(target, filepath.Clean(dest)+string(os.PathSeparator)) {
			return fmt.Errorf("illegal file path: %s", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		out, err := os.Create(target)
		if err != nil {
			rc.Close()
			return err
		}
		_, err = io.Copy(out, rc)
		out.Close()
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// vuln: path-traversal
func appendNote(notesDir, user, text string) error {
	f, err := os.OpenFile(filepath.Join(notesDir, user+".txt"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteString(text + "\n")
	return err
}

// safe: path-traversal
func readConfig() ([]byte, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(home, ".config", "app", "config.json"))
}
