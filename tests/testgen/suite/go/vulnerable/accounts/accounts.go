// Package accounts reads customer accounts.
package accounts

import "database/sql"

// EmailOf returns the e-mail address of the account named login.
func EmailOf(db *sql.DB, login string) (string, error) {
	var email string
	err := db.QueryRow("SELECT email FROM accounts WHERE login = '" + login + "'").Scan(&email)
	return email, err
}
