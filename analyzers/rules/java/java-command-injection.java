import java.io.IOException;
import java.util.List;
import javax.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.*;

@RestController
public class DiagnosticsController {
    public Process ping(HttpServletRequest request) throws IOException {
        String host = request.getParameter("host");
        // ruleid: java-command-injection
        return Runtime.getRuntime().exec("ping -c 1 " + host);
    }

    @GetMapping("/convert")
    public Process convert(@RequestParam("file") String file) throws IOException {
        List<String> cmd = List.of("sh", "-c", "convert " + file + " out.png");
        // ruleid: java-command-injection
        return new ProcessBuilder(cmd).start();
    }

    public Process archive(HttpServletRequest request) throws IOException {
        ProcessBuilder pb = new ProcessBuilder();
        // An argument of a fixed program, no shell: not a command (argument injection is another class).
        // ok: java-command-injection
        pb.command("tar", "czf", "/backups/out.tgz", request.getHeader("X-Backup-Dir"));
        return pb.start();
    }

    public Process pingFixed() throws IOException {
        // ok: java-command-injection
        return Runtime.getRuntime().exec(new String[] {"ping", "-c", "1", "localhost"});
    }

    @GetMapping("/top")
    public Process top(@RequestParam("pid") String pid) throws IOException {
        int n = Integer.parseInt(pid);
        // ok: java-command-injection
        return new ProcessBuilder("top", "-b", "-n", "1", "-p", String.valueOf(n)).start();
    }

    // Allowlists kept in a variable: a name bound once to literals and never changed is a guard.
    private static final java.util.Set<String> ALLOWED_TOOLS = java.util.Set.of("gzip", "bzip2");

    public Process compress(HttpServletRequest request) throws IOException {
        String tool = request.getParameter("tool");
        if (!ALLOWED_TOOLS.contains(tool)) {
            throw new IllegalArgumentException("unknown tool");
        }
        // ok: java-command-injection
        return Runtime.getRuntime().exec("sh -c " + tool + " -k data.tar");
    }

    // A request-bound parameter is a variable like any other: the allowlist clears it.
    @GetMapping("/unpack")
    public Process unpack(@RequestParam("tool") String tool) throws IOException {
        if (!ALLOWED_TOOLS.contains(tool)) {
            throw new IllegalArgumentException("unknown tool");
        }
        // ok: java-command-injection
        return Runtime.getRuntime().exec("sh -c " + tool + " -d data.tar");
    }

    @GetMapping("/unpack2")
    public Process unpackUnchecked(@RequestParam("tool") String tool) throws IOException {
        if (ALLOWED_TOOLS.contains(tool)) {
            System.out.println("known tool");
        }
        // ruleid: java-command-injection
        return Runtime.getRuntime().exec("sh -c " + tool + " -d data.tar");
    }
}
