import java.io.*;
import java.nio.file.*;
import java.util.zip.*;

public class Unzipper {
    public void extract(InputStream in, File destDir) throws IOException {
        try (ZipInputStream zis = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zis.getNextEntry()) != null) {
                // ruleid: java-zip-slip
                File out = new File(destDir, entry.getName());
                try (OutputStream os = new FileOutputStream(out)) {
                    zis.transferTo(os);
                }
            }
        }
    }

    public void extractAll(ZipFile zip, Path dest) throws IOException {
        for (ZipEntry e : java.util.Collections.list(zip.entries())) {
            // ruleid: java-zip-slip
            Path target = dest.resolve(e.getName());
            Files.copy(zip.getInputStream(e), target);
        }
    }

    public void extractSafely(InputStream in, Path destDir) throws IOException {
        try (ZipInputStream zis = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zis.getNextEntry()) != null) {
                // ok: java-zip-slip
                Path target = destDir.resolve(entry.getName()).normalize();
                if (!target.startsWith(destDir.normalize())) {
                    throw new IOException("Entry outside target dir: " + entry.getName());
                }
                Files.copy(zis, target);
            }
        }
    }

    public File configFile(File dir, Config config) {
        // ok: java-zip-slip
        return new File(dir, config.getName());
    }
}
