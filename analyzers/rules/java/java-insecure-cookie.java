import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletResponse;
import org.springframework.http.ResponseCookie;

public class Cookies {
    public void session(HttpServletResponse response, String token) {
        Cookie cookie = new Cookie("SESSION", token);
        // ruleid: java-insecure-cookie
        cookie.setSecure(false);
        // ruleid: java-insecure-cookie
        cookie.setHttpOnly(false);
        response.addCookie(cookie);
    }

    public ResponseCookie spring(String token) {
        // ruleid: java-insecure-cookie
        return ResponseCookie.from("token", token).secure(false).build();
    }

    public void good(HttpServletResponse response, String token) {
        Cookie cookie = new Cookie("SESSION", token);
        // ok: java-insecure-cookie
        cookie.setSecure(true);
        // ok: java-insecure-cookie
        cookie.setHttpOnly(true);
        response.addCookie(cookie);
    }
}
