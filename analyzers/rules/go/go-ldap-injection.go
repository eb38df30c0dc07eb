package directory

import (
	"fmt"
	"net/http"

	"github.com/go-ldap/ldap/v3"
)

func loginHandler(conn *ldap.Conn) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		user := r.FormValue("user")
		filter := fmt.Sprintf("(&(uid=%s)(objectClass=person))", user)
		// ruleid: go-ldap-injection
		req := ldap.NewSearchRequest("ou=people,dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, filter, []string{"dn"}, nil)
		res, err := conn.Search(req)
		if err != nil || len(res.Entries) != 1 {
			http.Error(w, "denied", http.StatusUnauthorized)
		}
	}
}

func FindUser(conn *ldap.Conn, uid string) (*ldap.SearchResult, error) {
	// ruleid: go-ldap-injection
	req := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 1, 0, false, "(uid="+uid+")", nil, nil)
	return conn.Search(req)
}

func FindUserSafe(conn *ldap.Conn, uid string) (*ldap.SearchResult, error) {
	// ok: go-ldap-injection
	req := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 1, 0, false, fmt.Sprintf("(uid=%s)", ldap.EscapeFilter(uid)), nil, nil)
	return conn.Search(req)
}

func FindByMail(conn *ldap.Conn, mail string) (*ldap.SearchResult, error) {
	return conn.Search(&ldap.SearchRequest{
		BaseDN: "dc=example,dc=com",
		Scope:  ldap.ScopeWholeSubtree,
		// ruleid: go-ldap-injection
		Filter: "(mail=" + mail + ")",
	})
}

func AllPeople(conn *ldap.Conn) (*ldap.SearchResult, error) {
	// ok: go-ldap-injection
	req := ldap.NewSearchRequest("dc=example,dc=com", ldap.ScopeWholeSubtree, ldap.NeverDerefAliases, 0, 0, false, "(objectClass=person)", nil, nil)
	return conn.Search(req)
}
