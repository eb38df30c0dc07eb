import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assertions;
import static org.junit.jupiter.api.Assertions.*;

class AccessServiceTest {
    @Test
    void adminCanDeleteUsers() {
        service.delete(adminSession, 42L);
        // ruleid: java-vacuous-assertion
        assertTrue(true);
    }

    @Test
    void userCannotReadOthersOrders() {
        Response r = client.as("bob").get("/orders/1");
        // ruleid: java-vacuous-assertion
        assertEquals(r.status(), r.status());
        // ruleid: java-vacuous-assertion
        Assertions.assertTrue(true, "should be forbidden");
    }

    @Test
    void tokenIsIssued() {
        // ruleid: java-vacuous-assertion
        assertNotNull(new Object());
    }

    @Test
    void userCannotDeleteOthers() {
        Response r = client.as("bob").delete("/users/1");
        // ok: java-vacuous-assertion
        assertEquals(403, r.status());
        // ok: java-vacuous-assertion
        assertTrue(r.body().contains("forbidden"));
        // ok: java-vacuous-assertion
        assertNotNull(r.header("X-Request-Id"));
    }
}
