import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.*;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.*;

@Controller
public class LoginController {
    public void afterLogin(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String next = request.getParameter("next");
        // ruleid: java-open-redirect
        response.sendRedirect(next);
    }

    @GetMapping("/go")
    public String go(@RequestParam("to") String to) {
        // ruleid: java-open-redirect
        return "redirect:" + to;
    }

    public void home(HttpServletResponse response) throws IOException {
        // ok: java-open-redirect
        response.sendRedirect("/home");
    }

    public void tab(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // ok: java-open-redirect -- a constant local path prefix keeps the redirect on this site
        response.sendRedirect("/account?tab=" + request.getParameter("tab"));
    }

    @GetMapping("/search")
    public String search(@RequestParam("q") String q) {
        // ok: java-open-redirect
        return "redirect:/results?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
    }
}
