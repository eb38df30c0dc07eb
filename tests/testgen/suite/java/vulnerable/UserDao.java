package com.acme.ops;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

public class UserDao {
  /** The e-mail address of a user, or null. */
  public static String findEmail(Connection conn, String username) throws SQLException {
    try (Statement st = conn.createStatement();
         ResultSet rs = st.executeQuery("SELECT email FROM users WHERE name = '" + username + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
