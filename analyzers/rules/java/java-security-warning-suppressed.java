import edu.umd.cs.findbugs.annotations.SuppressFBWarnings;
import java.sql.*;

public class ReportDao {
    private Connection conn;

    // ruleid: java-security-warning-suppressed
    @SuppressWarnings("java:S2077")
    public ResultSet byName(String name) throws SQLException {
        return conn.createStatement().executeQuery("SELECT * FROM r WHERE name = '" + name + "'");
    }

    // ruleid: java-security-warning-suppressed
    @SuppressFBWarnings(value = "SQL_INJECTION_JDBC")
    public ResultSet byOwner(String owner) throws SQLException {
        return conn.createStatement().executeQuery("SELECT * FROM r WHERE owner = '" + owner + "'");
    }

    public void exec(String cmd) throws Exception {
        // ruleid: java-security-warning-suppressed
        Runtime.getRuntime().exec(cmd); // NOSONAR
    }

    // ok: java-security-warning-suppressed
    @SuppressWarnings({"unchecked", "rawtypes"})
    public java.util.List rows() { return new java.util.ArrayList(); }

    // ok: java-security-warning-suppressed
    @SuppressFBWarnings(value = "EI_EXPOSE_REP", justification = "immutable view")
    public Connection connection() { return conn; }

    public String label() {
        // ok: java-security-warning-suppressed -- an ordinary comment that mentions Sonar
        return "sonar";
    }
}
