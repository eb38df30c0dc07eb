package access

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAdminCanDelete(t *testing.T) {
	deleteUser(adminSession, 42)
	// ruleid: go-vacuous-assertion
	assert.True(t, true)
}

func TestUserCannotReadOthers(t *testing.T) {
	code := get("bob", "/orders/1")
	// ruleid: go-vacuous-assertion
	require.Equal(t, code, code, "should be forbidden")
	// ruleid: go-vacuous-assertion
	if false {
		t.Fatalf("unexpected status %d", code)
	}
}

func TestUserCannotDeleteOthers(t *testing.T) {
	code := deleteAs("bob", 1)
	// ok: go-vacuous-assertion
	assert.Equal(t, http.StatusForbidden, code)
	// ok: go-vacuous-assertion
	require.True(t, code >= 400)
	if code == http.StatusOK {
		// ok: go-vacuous-assertion
		t.Fatalf("bob deleted user 1")
	}
}
