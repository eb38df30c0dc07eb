import java.io.InputStream;
import java.net.*;
import java.net.http.*;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;

@RestController
public class PreviewController {
    private final RestTemplate rest = new RestTemplate();
    private final HttpClient client = HttpClient.newHttpClient();

    public InputStream preview(HttpServletRequest request) throws Exception {
        String target = request.getParameter("url");
        // ruleid: java-ssrf
        URLConnection conn = new URL(target).openConnection();
        return conn.getInputStream();
    }

    @GetMapping("/proxy")
    public String proxy(@RequestParam("u") String u) {
        // ruleid: java-ssrf
        return rest.getForObject(u, String.class);
    }

    public String webhook(HttpServletRequest request) throws Exception {
        // ruleid: java-ssrf
        HttpRequest req = HttpRequest.newBuilder(URI.create(request.getHeader("X-Callback"))).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    public String parseOnly(HttpServletRequest request) throws Exception {
        // ok: java-ssrf -- parsing the request's own URI makes no request
        URI self = new URI(request.getQueryString());
        return self.getPath();
    }

    @GetMapping("/user")
    public String user(@RequestParam("id") String id) {
        // ok: java-ssrf
        return rest.getForObject("https://api.example.com/users/" + URLEncoder.encode(id, StandardCharsets.UTF_8), String.class);
    }

    public String status() throws Exception {
        // ok: java-ssrf
        HttpRequest req = HttpRequest.newBuilder(URI.create("https://status.example.com/health")).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }
}
