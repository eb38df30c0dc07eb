package com.acme.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

public class AuditLog {
  /** Deletes a user's audit entries; returns how many went. */
  public static int purge(Connection db, String user) throws SQLException {
    try (PreparedStatement st = db.prepareStatement("DELETE FROM audit WHERE actor = ?")) {
      st.setString(1, user);
      return st.executeUpdate();
    }
  }
}
