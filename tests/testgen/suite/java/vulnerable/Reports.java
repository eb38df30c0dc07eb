package com.acme.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

public class Reports {
  private final Path base = Paths.get("/srv/reports");

  /** The text of a generated report. */
  public String readReport(String name) throws IOException {
    return Files.readString(base.resolve(name));
  }
}
