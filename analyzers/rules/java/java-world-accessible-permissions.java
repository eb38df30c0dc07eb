import java.io.File;
import java.nio.file.*;
import java.nio.file.attribute.*;
import java.util.EnumSet;

public class KeyStoreWriter {
    public void save(File keyFile) throws Exception {
        // ruleid: java-world-accessible-permissions
        keyFile.setReadable(true, false);
        // ruleid: java-world-accessible-permissions
        keyFile.setWritable(true, false);
    }

    public void share(Path dir) throws Exception {
        // ruleid: java-world-accessible-permissions
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        // ruleid: java-world-accessible-permissions
        Files.setPosixFilePermissions(dir, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OTHERS_WRITE));
    }

    public void saveSafely(File keyFile, Path dir) throws Exception {
        // ok: java-world-accessible-permissions
        keyFile.setReadable(true, true);
        // ok: java-world-accessible-permissions
        keyFile.setReadable(false, false);
        // ok: java-world-accessible-permissions
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        // ok: java-world-accessible-permissions
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
    }

    public boolean isSafe(Path cache) throws Exception {
        // ok: java-world-accessible-permissions
        return !Files.getPosixFilePermissions(cache).contains(PosixFilePermission.OTHERS_WRITE);
    }
}
