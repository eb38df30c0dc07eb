package com.example.app;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

// Data access, shell and file helpers as an assistant writes them (labelled per method).
public class UserRepository {
    private final JdbcTemplate jdbcTemplate;

    public UserRepository(JdbcTemplate jdbcTemplate) {
        this.jdbcTemplate = jdbcTemplate;
    }

    // vuln: sql-injection
    public ResultSet findByName(Connection conn, String name) throws SQLException {
        Statement stmt = conn.createStatement();
        return stmt.executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
    }

    // safe: sql-injection
    public ResultSet findByNameSafe(Connection conn, String name) throws SQLException {
        PreparedStatement ps = conn.prepareStatement("SELECT * FROM users WHERE name = ?");
        ps.setString(1, name);
        return ps.executeQuery();
    }

    // vuln: sql-injection
    public int deleteUser(Connection conn, String userId) throws SQLException {
        String sql = "DELETE FROM users WHERE id = " + userId;
        return conn.createStatement().executeUpdate(sql);
    }

    // safe: sql-injection
    public int deleteUserSafe(Connection conn, long userId) throws SQLException {
        String sql = "DELETE FROM users WHERE id = " + userId;
        return conn.createStatement().executeUpdate(sql);
    }

    // vuln: sql-injection
    public List<String> emailsByDomain(String domain) {
        return jdbcTemplate.queryForList("SELECT email FROM users WHERE email LIKE '%@" + domain + "'", String.class);
    }

    // safe: sql-injection
    public List<String> emailsByDomainSafe(String domain) {
        return jdbcTemplate.queryForList("SELECT email FROM users WHERE email LIKE ?", String.class, "%@" + domain);
    }

    // vuln: sql-injection
    public void renameUser(String oldName, String newName) {
        jdbcTemplate.update(String.format("UPDATE users SET name = '%s' WHERE name = '%s'", newName, oldName));
    }

    // safe: sql-injection
    public void renameUserSafe(String oldName, String newName) {
        jdbcTemplate.update("UPDATE users SET name = ? WHERE name = ?", newName, oldName);
    }

    // vuln: sql-injection
    public ResultSet sortedUsers(Connection conn, String column) throws SQLException {
        StringBuilder sb = new StringBuilder("SELECT * FROM users ORDER BY ");
        sb.append(column);
        return conn.prepareStatement(sb.toString()).executeQuery();
    }

    // safe: sql-injection
    public ResultSet sortedUsersSafe(Connection conn, String column) throws SQLException {
        String order = "name";
        if ("email".equals(column)) {
            order = "email";
        }
        return conn.prepareStatement("SELECT * FROM users ORDER BY " + order).executeQuery();
    }

    // vuln: command-injection
    public static String ping(String host) throws IOException {
        Process p = Runtime.getRuntime().exec("ping -c 1 " + host);
        return new String(p.getInputStream().readAllBytes());
    }

    // safe: command-injection
    public static String pingSafe(String host) throws IOException {
        Process p = new ProcessBuilder("ping", "-c", "1", host).start();
        return new String(p.getInputStream().readAllBytes());
    }

    // vuln: command-injection
    public static void archive(String dir, String name) throws IOException {
        new ProcessBuilder("sh", "-c", "tar czf " + name + ".tgz " + dir).start();
    }

    // safe: command-injection
    public static void archiveSafe(String dir, String name) throws IOException {
        new ProcessBuilder("tar", "czf", name + ".tgz", dir).start();
    }

    // vuln: command-injection
    public static Process runScript(String scriptArgs) throws IOException {
        String[] cmd = {"/bin/bash", "-c", "/opt/scripts/run.sh " + scriptArgs};
        return Runtime.getRuntime().exec(cmd);
    }

    // safe: command-injection
    public static Process runScriptSafe() throws IOException {
        String[] cmd = {"/bin/bash", "-c", "/opt/scripts/run.sh --all"};
        return Runtime.getRuntime().exec(cmd);
    }

    // vuln: path-traversal
    public static byte[] readReport(String baseDir, String fileName) throws IOException {
        return Files.readAllBytes(Paths.get(baseDir, fileName));
    }

    // safe: path-traversal
    public static byte[] readReportSafe(String baseDir, String fileName) throws IOException {
        Path base = Paths.get(baseDir).toRealPath();
        Path target = base.resolve(fileName).normalize();
        if (!target.startsWith(base)) {
            throw new SecurityException("outside base");
        }
        return Files.readAllBytes(target);
    }

    // vuln: path-traversal
    public static boolean deleteUpload(String name) {
        File f = new java.io.File("/srv/uploads/" + name);
        return f.delete();
    }

    // safe: path-traversal
    public static boolean deleteUploadSafe(String name) {
        File f = new File("/srv/uploads/", new File(name).getName());
        return f.delete();
    }

    // vuln: path-traversal
    public static String loadTemplate(String templateName) throws IOException {
        return Files.readString(Path.of("templates/" + templateName + ".html"));
    }

    // safe: path-traversal
    public static String loadTemplateSafe(String templateName) throws IOException {
        if (!templateName.matches("[a-z0-9_-]+")) {
            throw new IllegalArgumentException("bad template name");
        }
        return Files.readString(Path.of("templates/" + templateName + ".html"));
    }
}
