import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

public class Exporter {
    public File export(byte[] report) throws IOException {
        // ruleid: java-insecure-temp-file
        File tmp = File.createTempFile("report-", ".csv");
        Files.write(tmp.toPath(), report);
        return tmp;
    }

    public File scratchDir() throws IOException {
        // ruleid: java-insecure-temp-file
        File dir = java.io.File.createTempFile("work", "");
        dir.delete();
        dir.mkdir();
        return dir;
    }

    public Path exportSafely(byte[] report) throws IOException {
        // ok: java-insecure-temp-file
        Path tmp = Files.createTempFile("report-", ".csv");
        Files.write(tmp, report);
        return tmp;
    }

    public File inPrivateDir(File privateDir) throws IOException {
        // ok: java-insecure-temp-file
        return File.createTempFile("part-", ".tmp", privateDir);
    }
}
