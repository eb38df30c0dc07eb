package com.acme.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Network diagnostics for the admin console. */
public class NetDiag {
  /** Pings a host once and returns what ping printed. */
  public static String ping(String host) throws IOException, InterruptedException {
    // No shell: the host is one argument of ping, after "--" so it cannot be read as an option.
    Process p = new ProcessBuilder("ping", "-c", "1", "-W", "2", "--", host).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }
}
