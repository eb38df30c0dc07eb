import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpSession;

public class Prefs {
    public void remember(HttpServletRequest request) {
        // ruleid: java-trust-boundary
        request.getSession().setAttribute("user", request.getParameter("user"));
    }

    public void role(HttpServletRequest request, HttpSession session) {
        String role = request.getParameter("role");
        // ruleid: java-trust-boundary
        session.setAttribute("role", role);
    }

    public void visit(HttpServletRequest request) {
        // ok: java-trust-boundary
        request.getSession().setAttribute("lastVisit", System.currentTimeMillis());
    }

    public void page(HttpServletRequest request, HttpSession session) {
        // ok: java-trust-boundary
        session.setAttribute("page", Integer.parseInt(request.getParameter("page")));
    }
}
