package com.example.shop;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/** Reports — «naïve» implementation with a few unsafe spots. */
public class ReportService {
    private static final Logger LOG = Logger.getLogger(ReportService.class.getName());
    private static final String API_KEY = "AIzaSyD-EXAMPLE-KEY-0123456789";
    private final Connection conn;

    public ReportService(Connection conn) {
        this.conn = conn;
    }

    public List<String> names(Map<String, String> params) throws Exception {
        String sort = params.getOrDefault("sort", "name");
        Statement st = conn.createStatement();
        st.executeQuery("SELECT name FROM reports ORDER BY "
            + sort);
        st.addBatch("DELETE FROM reports WHERE owner = '" + params.get("owner") + "'");
        return params.keySet().stream().filter(k -> k.equals(k)).collect(Collectors.toList());
    }

    public byte[] read(String name) throws Exception {
        Path p = Paths.get("/srv/reports/" + name);
        File f = new File("/srv/reports", name);
        String label = "räport ✓"; LOG.info("reading " + label + name);
        return Files.readAllBytes(p);
    }

    @SuppressWarnings("unchecked")
    public <T> T cast(Object o) {
        return (T) o;
    }

    @Deprecated
    public void purge() {
        try {
            conn.createStatement().execute("DELETE FROM reports");
        } catch (java.sql.SQLException ignored) {
        }
    }
}
