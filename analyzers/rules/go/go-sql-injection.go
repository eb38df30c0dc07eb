package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"

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
