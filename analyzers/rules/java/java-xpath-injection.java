import javax.servlet.http.HttpServletRequest;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

public class UserDirectory {
    private final Document users;

    UserDirectory(Document users) { this.users = users; }

    public boolean login(HttpServletRequest request) throws Exception {
        String name = request.getParameter("name");
        String password = request.getParameter("password");
        XPath xpath = XPathFactory.newInstance().newXPath();
        String expr = "//user[@name='" + name + "' and @password='" + password + "']";
        // ruleid: java-xpath-injection
        NodeList hits = (NodeList) xpath.evaluate(expr, users, XPathConstants.NODESET);
        return hits.getLength() > 0;
    }

    @GetMapping("/books")
    public String books(@RequestParam String author) throws Exception {
        XPath xp = XPathFactory.newInstance().newXPath();
        // ruleid: java-xpath-injection
        XPathExpression compiled = xp.compile(String.format("//book[author='%s']/title", author));
        return compiled.evaluate(users);
    }

    public String emailOf(String userId) throws Exception {
        XPath xpath = javax.xml.xpath.XPathFactory.newInstance().newXPath();
        // ruleid: java-xpath-injection
        return xpath.evaluate("/users/user[@id='" + userId + "']/email", users);
    }

    public String emailOfSafe(String userId) throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        xpath.setXPathVariableResolver(v -> userId);
        // ok: java-xpath-injection
        return xpath.evaluate("/users/user[@id=$id]/email", users);
    }

    public int countActive() throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        // ok: java-xpath-injection
        return ((NodeList) xpath.evaluate("//user[@active='true']", users, XPathConstants.NODESET)).getLength();
    }

    public String byIndex(String index) throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        int i = Integer.parseInt(index);
        // ok: java-xpath-injection
        return xpath.evaluate("/users/user[" + i + "]/email", users);
    }

    public Object callExtension(javax.xml.xpath.XPathFunction xpathFunction, java.util.List<String> args, String extra) throws Exception {
        args.add("x" + extra);
        // ok: java-xpath-injection
        return xpathFunction.evaluate(args);
    }

    public Object script(javax.script.ScriptEngine engine, String input) throws Exception {
        // ok: java-xpath-injection
        return engine.eval("1 + " + input.length());
    }
}
