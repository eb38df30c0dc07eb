package com.example.shop;

import java.io.ObjectInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class UserController {
    private static final String DB_PASSWORD = "Sup3rS3cret!";
    private static final String TABLE = "users";
    private final Connection conn;
    private final Random random = new Random();

    public UserController(Connection conn) {
        this.conn = conn;
    }

    public ResultSet find(HttpServletRequest req) throws Exception {
        String name = req.getParameter("name");
        Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
        st.execute(String.format("DELETE FROM carts WHERE owner = '%s'", name));
        PreparedStatement ps = conn.prepareStatement("SELECT * FROM users WHERE name = ?");
        ps.setString(1, name);
        ResultSet ok = ps.executeQuery();
        st.executeQuery("SELECT count(*) FROM " + TABLE);
        st.execute(String.format(/* owner filter */ "DELETE FROM wishlists WHERE owner = '%s'", name));
        st.execute(String.format("DELETE FROM reviews WHERE owner = '%s'", // by owner
            name));
        return rs;
    }

    public Object restore(InputStream in) throws Exception {
        ObjectInputStream ois = new ObjectInputStream(in);
        return ois.readObject();
    }

    public void run(HttpServletRequest req) throws Exception {
        String host = req.getParameter("host");
        Runtime.getRuntime().exec("ping -c 1 " + host);
        Runtime.getRuntime().exec(new String[] {"ping", "-c", "1", host});
        new ProcessBuilder("sh", "-c", "nslookup " + host).start();
    }

    public byte[] digest(byte[] data) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        MessageDigest old = MessageDigest.getInstance("SHA1");
        return md.digest(data);
    }

    public String resetToken() {
        return Long.toHexString(random.nextLong());
    }

    public int pageJitter() {
        return random.nextInt(10);
    }

    public void redirect(HttpServletRequest req, HttpServletResponse resp) throws Exception {
        resp.sendRedirect(req.getParameter("next"));
        resp.sendRedirect("/home");
    }

    public boolean same(String a, String b) {
        if (a.equals(a)) {
            return true;
        }
        return a == b;
    }

    public void close() {
        try {
            conn.close();
        } catch (Exception e) {
        }
        try {
            conn.commit();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
