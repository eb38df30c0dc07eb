package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
	"gorm.io/gorm"
)

const usersTable = "users"

type Store struct{ db *sql.DB }

type User struct{ Email string }

func (s *Store) FindUser(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	// ruleid: go-sql-injection
	rows, err := s.db.Query(fmt.Sprintf("SELECT id, email FROM users WHERE name = '%s'", name))
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	defer rows.Close()
}

func (s *Store) Delete(ctx context.Context, id string) error {
	// ruleid: go-sql-injection
	_, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = "+id)
	return err
}

func (s *Store) Search(ctx context.Context, status string, limit int) (*sql.Rows, error) {
	query := fmt.Sprintf(`SELECT id FROM orders WHERE status = '%v' ORDER BY id`, status)
	// ruleid: go-sql-injection
	return s.db.QueryContext(ctx, query)
}

func (s *Store) FindUserSafely(ctx context.Context, name string) (*sql.Rows, error) {
	// ok: go-sql-injection
	return s.db.QueryContext(ctx, "SELECT id, email FROM users WHERE name = $1", name)
}

func (s *Store) Count(ctx context.Context, minAge int) *sql.Row {
	// ok: go-sql-injection
	return s.db.QueryRowContext(ctx, fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE age > $1", usersTable), minAge)
}

func (s *Store) Page(ctx context.Context, limit, offset int) (*sql.Rows, error) {
	q := fmt.Sprintf("SELECT id FROM orders ORDER BY id LIMIT %d OFFSET %d", limit, offset)
	// ok: go-sql-injection
	return s.db.QueryContext(ctx, q)
}

func FindByEmail(db *gorm.DB, email string) (User, error) {
	var u User
	// ruleid: go-sql-injection
	err := db.Where("email = '" + email + "'").First(&u).Error
	return u, err
}

func OlderThan(db *gorm.DB, age string) ([]User, error) {
	var us []User
	// ruleid: go-sql-injection
	err := db.Where(fmt.Sprintf("age > %s", age)).Find(&us).Error
	return us, err
}

func FindByEmailBound(db *gorm.DB, email string) (User, error) {
	var u User
	// ok: go-sql-injection
	err := db.Where("email = ?", email).First(&u).Error
	return u, err
}

func ArchiveOrders(db *sql.DB, status string, ids []string) error {
	var q strings.Builder
	q.WriteString("UPDATE orders SET archived = true WHERE status = '" + status + "'")
	if len(ids) > 0 {
		q.WriteString(" AND id IN (" + strings.Join(ids, ",") + ")")
	}
	// ruleid: go-sql-injection
	_, err := db.Exec(q.String())
	return err
}

func CountRows(db *sql.DB, table string) (int, error) {
	var n int
	// ruleid: go-sql-injection
	err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n)
	return n, err
}

func Sorted(ctx context.Context, db *sql.DB, r *http.Request) (*sql.Rows, error) {
	col := "name"
	if r.URL.Query().Get("sort") == "price" {
		col = "price"
	}
	// ok: go-sql-injection
	return db.QueryContext(ctx, "SELECT id FROM products ORDER BY "+col)
}

func ByAge(ctx context.Context, db *sqlx.DB, r *http.Request) ([]User, error) {
	var us []User
	age := r.FormValue("age")
	// ruleid: go-sql-injection
	err := db.SelectContext(ctx, &us, "SELECT email FROM users WHERE age > "+age)
	return us, err
}

func ByAgeParsed(db *sqlx.DB, r *http.Request) (User, error) {
	var u User
	age, err := strconv.Atoi(r.FormValue("age"))
	if err != nil {
		return u, err
	}
	// ok: go-sql-injection
	err = db.Get(&u, fmt.Sprintf("SELECT email FROM users WHERE age > %d", age))
	return u, err
}

func Lookup(cache map[string]string, r *http.Request, m interface{ Get(a, b string) string }) string {
	key := r.FormValue("key")
	// ok: go-sql-injection
	return m.Get("prefix", "SELECT "+key)
}

func FindByStruct(db *gorm.DB, email string) (User, error) {
	var u User
	// ok: go-sql-injection
	err := db.Where(&User{Email: email}).First(&u).Error
	return u, err
}

func AddUser(db *sql.DB, name, email string) error {
	stmt, err := db.Prepare("INSERT INTO users (name, email) VALUES (?, ?)")
	if err != nil {
		return err
	}
	defer stmt.Close()
	// ok: go-sql-injection
	_, err = stmt.Exec(strings.TrimSpace(name), strings.ToLower(email))
	return err
}
