package auth

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
)

func TestLoginRejectsWrongPassword(t *testing.T) {
	// ruleid: go-security-test-skipped
	t.Skip("flaky after refactor")
	rec := httptest.NewRecorder()
	login(rec, httptest.NewRequest(http.MethodPost, "/login?user=alice&pass=wrong", nil))
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("got %d", rec.Code)
	}
}

func TestCSRFTokenRequired(t *testing.T) {
	// ruleid: go-security-test-skipped
	t.SkipNow()
}

func TestTokenStoreIntegration(t *testing.T) {
	if os.Getenv("REDIS_URL") == "" {
		// ok: go-security-test-skipped
		t.Skip("REDIS_URL not set")
	}
}

func TestReportFormatting(t *testing.T) {
	// ok: go-security-test-skipped
	t.Skip("slow: renders 10k rows")
}

func login(w http.ResponseWriter, r *http.Request) {}
