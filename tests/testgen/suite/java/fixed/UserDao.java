package com.acme.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

public class UserDao {
  /** The e-mail address of a user, or null. */
  public static String findEmail(Connection conn, String username) throws SQLException {
    try (PreparedStatement st = conn.prepareStatement("SELECT email FROM users WHERE name = ?")) {
      st.setString(1, username);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
