import java.sql.*;
import java.util.List;
import javax.persistence.EntityManager;
import javax.servlet.http.HttpServletRequest;
import org.springframework.jdbc.core.JdbcTemplate;

public class UserDao {
    private static final String USERS_TABLE = "users";
    private Connection conn;
    private EntityManager em;
    private JdbcTemplate jdbcTemplate;

    public ResultSet findByName(HttpServletRequest request) throws SQLException {
        String name = request.getParameter("name");
        Statement st = conn.createStatement();
        // ruleid: java-sql-injection
        return st.executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
    }

    public void deleteSession(String userId) throws SQLException {
        Statement st = conn.createStatement();
        // ruleid: java-sql-injection
        st.executeUpdate("DELETE FROM sessions WHERE user_id = " + userId);
    }

    public List<?> search(String status) {
        // ruleid: java-sql-injection
        return em.createNativeQuery(String.format("SELECT id FROM orders WHERE status = '%s'", status)).getResultList();
    }

    public List<?> byEmail(String email) {
        // ruleid: java-sql-injection
        return em.createQuery("select u from User u where u.email = '" + email + "'").getResultList();
    }

    public ResultSet byCategory(String cat) throws SQLException {
        String sql = "SELECT * FROM products WHERE category = '" + cat + "' ORDER BY name";
        Statement st = conn.createStatement();
        // ruleid: java-sql-injection
        return st.executeQuery(sql);
    }

    public List<?> sorted(String column) {
        // ruleid: java-sql-injection
        return jdbcTemplate.queryForList("SELECT * FROM products ORDER BY " + column);
    }

    public ResultSet safeByName(String name) throws SQLException {
        // ok: java-sql-injection
        PreparedStatement ps = conn.prepareStatement("SELECT * FROM users WHERE name = ?");
        ps.setString(1, name);
        // ok: java-sql-injection
        return ps.executeQuery();
    }

    public List<?> safeJpa(String email) {
        // ok: java-sql-injection
        return em.createQuery("select u from User u where u.email = :email").setParameter("email", email).getResultList();
    }

    public int countAll() throws SQLException {
        Statement st = conn.createStatement();
        // ok: java-sql-injection
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + USERS_TABLE + " WHERE active = 1");
        rs.next();
        return rs.getInt(1);
    }

    public List<?> safeTemplate(long id) {
        String sql = "SELECT * FROM orders WHERE id = ?";
        // ok: java-sql-injection
        return jdbcTemplate.queryForList(sql, id);
    }

    public ResultSet literalOnly() throws SQLException {
        Statement st = conn.createStatement();
        // ok: java-sql-injection
        return st.executeQuery("SELECT id, name "
                + "FROM users WHERE active = 1");
    }
}
