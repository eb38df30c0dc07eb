package com.example.app;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileReader;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

// More helpers (labelled per method).
public class FileService {

    // vuln: path-traversal
    public String readNote(String notesDir, String noteName) throws IOException {
        try (BufferedReader r = new BufferedReader(new FileReader(new File(notesDir, noteName)))) {
            return r.readLine();
        }
    }

    // safe: path-traversal
    public String readNoteSafe(String notesDir, String noteName) throws IOException {
        File dir = new File(notesDir).getCanonicalFile();
        File f = new File(dir, noteName).getCanonicalFile();
        if (!f.toPath().startsWith(dir.toPath())) {
            throw new SecurityException("bad note");
        }
        try (BufferedReader r = new BufferedReader(new FileReader(f))) {
            return r.readLine();
        }
    }

    // vuln: sql-injection
    public ResultSet audit(Connection conn, String action, String user) throws SQLException {
        String q = "SELECT * FROM audit WHERE action = '" + action + "' AND user_name = '" + user + "'";
        return conn.createStatement().executeQuery(q);
    }

    // safe: sql-injection
    public ResultSet auditCount(Connection conn, int days) throws SQLException {
        return conn.createStatement().executeQuery("SELECT COUNT(*) FROM audit WHERE age < " + days);
    }

    // vuln: ssrf
    public byte[] download(String imageUrl) throws IOException {
        return new URL(imageUrl).openStream().readAllBytes();
    }

    // safe: ssrf
    public byte[] downloadLogo() throws IOException {
        return new URL("https://cdn.example.com/logo.png").openStream().readAllBytes();
    }

    // safe: path-traversal
    public Path tempFile(boolean verbose) throws IOException {
        return Files.createTempFile("upload", ".tmp");
    }

    // safe: command-injection
    public Process listHome() throws IOException {
        return Runtime.getRuntime().exec(new String[] {"ls", "-la", System.getProperty("user.home")});
    }

    // safe: weak-hash
    public String etag(byte[] body) throws Exception {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body);
        return Long.toHexString(crc.getValue());
    }

    // safe: sql-injection
    public ResultSet byStatus(Connection conn, Status status) throws SQLException {
        return conn.createStatement().executeQuery("SELECT * FROM orders WHERE status = '" + status.name() + "'");
    }

    enum Status { OPEN, CLOSED }
}
