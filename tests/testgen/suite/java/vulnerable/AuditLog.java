package com.acme.ops;

import java.sql.Connection;
import java.sql.SQLException;

public class AuditLog {
  /** Deletes a user's audit entries; returns how many went. */
  public static int purge(Connection db, String user) throws SQLException {
    return db.createStatement().executeUpdate("DELETE FROM audit WHERE actor = '" + user + "'");
  }
}
