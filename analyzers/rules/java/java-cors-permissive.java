import java.util.List;
import javax.servlet.http.*;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.cors.CorsConfiguration;

// ruleid: java-cors-permissive
@CrossOrigin("*")
@RestController
public class AccountController {
    @GetMapping("/me")
    public String me(HttpServletRequest request, HttpServletResponse response) {
        // ruleid: java-cors-permissive
        response.setHeader("Access-Control-Allow-Origin", request.getHeader("Origin"));
        response.setHeader("Access-Control-Allow-Credentials", "true");
        return "{}";
    }

    public CorsConfiguration corsConfig() {
        CorsConfiguration config = new CorsConfiguration();
        // ruleid: java-cors-permissive
        config.setAllowedOriginPatterns(List.of("*"));
        config.setAllowCredentials(true);
        return config;
    }

    // ruleid: java-cors-permissive
    @CrossOrigin(origins = "*", maxAge = 3600)
    @GetMapping("/balance")
    public String balance() { return "0"; }

    // ok: java-cors-permissive
    @CrossOrigin(origins = "https://app.example.com")
    @GetMapping("/profile")
    public String profile() { return "{}"; }

    public CorsConfiguration strictConfig() {
        CorsConfiguration config = new CorsConfiguration();
        // ok: java-cors-permissive
        config.setAllowedOrigins(List.of("https://app.example.com"));
        config.setAllowCredentials(true);
        return config;
    }

    public void publicAsset(HttpServletResponse response) {
        // ok: java-cors-permissive
        response.setHeader("Access-Control-Allow-Origin", "*");
        response.setHeader("Cache-Control", "public, max-age=86400");
    }
}
