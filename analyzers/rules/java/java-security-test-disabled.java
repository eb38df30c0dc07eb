import org.junit.jupiter.api.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LoginControllerTest {
    // ruleid: java-security-test-disabled
    @Disabled("fails after refactor")
    @Test
    void rejectsWrongPassword() {
        assertEquals(401, client.post("/login", "alice", "wrong").status());
    }

    @Test
    void redirectsUnauthenticatedUser() {
        // ruleid: java-security-test-disabled
        assumeTrue(false);
        assertEquals(302, client.get("/account").status());
    }

    // ok: java-security-test-disabled
    @Test
    void acceptsCorrectPassword() {
        assertEquals(200, client.post("/login", "alice", "correct horse").status());
    }
}

class PathSanitizerTest {
    // ruleid: java-security-test-disabled
    @Ignore
    @Test
    public void blocksDotDot() {
        assertThrows(IllegalArgumentException.class, () -> PathSanitizer.clean("../etc/passwd"));
    }
}

class ReportFormatterTest {
    // ok: java-security-test-disabled
    @Disabled("slow: renders 10k rows")
    @Test
    void formatsLargeReport() {
        assertNotNull(new ReportFormatter().format(rows(10_000)));
    }

    @Test
    void formatsOnLinux() {
        // ok: java-security-test-disabled
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        assertNotNull(new ReportFormatter().format(rows(1)));
    }
}
