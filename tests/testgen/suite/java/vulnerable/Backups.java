package com.acme.ops;

import java.io.IOException;

public class Backups {
  /** Archives a customer's upload directory into /var/backups. */
  static int archiveCustomer(String customer) throws IOException, InterruptedException {
    String cmd = "tar czf /var/backups/" + customer + ".tgz /srv/uploads/" + customer;
    return Runtime.getRuntime().exec(new String[] {"sh", "-c", cmd}).waitFor();
  }
}
