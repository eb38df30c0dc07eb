package com.acme.ops;

import java.io.IOException;

public class Backups {
  /** Archives a customer's upload directory into /var/backups. */
  static int archiveCustomer(String customer) throws IOException, InterruptedException {
    if (!customer.matches("[A-Za-z0-9_.-]+")) throw new IllegalArgumentException("bad customer id");
    String[] argv = {"tar", "czf", "/var/backups/" + customer + ".tgz", "--", "/srv/uploads/" + customer};
    return Runtime.getRuntime().exec(argv).waitFor();
  }
}
