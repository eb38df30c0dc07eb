import java.io.*;
import java.nio.file.*;
import javax.servlet.http.*;
import org.apache.commons.io.FilenameUtils;
import org.springframework.web.bind.annotation.*;

@RestController
public class DownloadController {
    private final Path base = Paths.get("/srv/app/files");
    private final File uploads = new File("/srv/app/uploads");

    public byte[] download(HttpServletRequest request) throws IOException {
        String name = request.getParameter("file");
        // ruleid: java-path-traversal
        File f = new File(uploads, name);
        return Files.readAllBytes(f.toPath());
    }

    @GetMapping("/report/{name}")
    public byte[] report(@PathVariable String name) throws IOException {
        // ruleid: java-path-traversal
        Path p = base.resolve("reports/" + name);
        return Files.readAllBytes(p);
    }

    public void save(HttpServletRequest request, byte[] data) throws IOException {
        // ruleid: java-path-traversal
        try (OutputStream os = new FileOutputStream("/tmp/uploads/" + request.getHeader("X-File-Name"))) {
            os.write(data);
        }
    }

    public byte[] downloadSafely(HttpServletRequest request) throws IOException {
        String name = FilenameUtils.getName(request.getParameter("file"));
        // ok: java-path-traversal
        File f = new File(uploads, name);
        return Files.readAllBytes(f.toPath());
    }

    @GetMapping("/invoice/{id}")
    public byte[] invoice(@PathVariable String id) throws IOException {
        long invoiceId = Long.parseLong(id);
        // ok: java-path-traversal
        return Files.readAllBytes(base.resolve("invoices/" + invoiceId + ".pdf"));
    }

    public byte[] logo() throws IOException {
        // ok: java-path-traversal
        return Files.readAllBytes(base.resolve("logo.png"));
    }
}
