package com.acme.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

public class Reports {
  private final Path base = Paths.get("/srv/reports");

  /** The text of a generated report. */
  public String readReport(String name) throws IOException {
    Path file = base.resolve(name).normalize();
    if (!file.startsWith(base)) throw new IllegalArgumentException("report outside " + base);
    return Files.readString(file);
  }
}
