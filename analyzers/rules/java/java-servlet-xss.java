import java.io.*;
import javax.servlet.http.*;
import org.owasp.encoder.Encode;

public class GreetingServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("name");
        response.setContentType("text/html");
        // ruleid: java-servlet-xss
        response.getWriter().println("<h1>Hello " + name + "</h1>");
    }

    protected void search(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter out = response.getWriter();
        String q = request.getParameter("q");
        out.println("<html><body>");
        // ruleid: java-servlet-xss
        out.printf("<p>No results for %s</p>", q);
        out.println("</body></html>");
    }

    protected void greetSafely(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("name");
        response.setContentType("text/html");
        // ok: java-servlet-xss
        response.getWriter().println("<h1>Hello " + Encode.forHtml(name) + "</h1>");
    }

    protected void greetFiltered(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter out = response.getWriter();
        // ok: java-servlet-xss
        out.println("<p>Hello " + HTMLFilter.filter(request.getParameter("name")) + "</p>");
    }

    protected void echoPlain(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain; charset=UTF-8");
        // ok: java-servlet-xss
        response.getWriter().write(request.getParameter("msg"));
    }

    protected void log(HttpServletRequest request) {
        // ok: java-servlet-xss
        System.out.println("search: " + request.getParameter("q"));
    }
}
