import org.junit.jupiter.api.Test;

public class AdminService {
    public void deleteUser(User current, long id) {
        // ruleid: java-assert-security-check
        assert current.isAdmin() : "admin only";
        repository.delete(id);
    }

    public Document open(User current, Document doc) {
        // ruleid: java-assert-security-check
        assert doc.isOwnedBy(current) || current.hasRole("AUDITOR");
        return doc;
    }

    public void deleteUserSafely(User current, long id) {
        // ok: java-assert-security-check
        if (!current.isAdmin()) throw new SecurityException("admin only");
        repository.delete(id);
    }

    public int pageSize(int requested) {
        // ok: java-assert-security-check
        assert requested > 0 : "page size must be positive";
        return Math.min(requested, 100);
    }

    void onResponse(int status) {
        // ok: java-assert-security-check -- an invariant on a status code, not a guard
        assert status == UNAUTHORIZED || status == PROXY_UNAUTHORIZED;
    }

    @Test
    void adminFlagIsSet() {
        // ok: java-assert-security-check
        assert new User("root").isAdmin();
    }
}
