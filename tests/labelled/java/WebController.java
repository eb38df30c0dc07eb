package com.example.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.StringReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.naming.directory.DirContext;
import javax.naming.directory.SearchControls;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

// Servlet-style handlers and helpers (labelled per method).
public class WebController {

    // vuln: xss
    public void greet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("name");
        response.getWriter().write("<h1>Hello " + name + "</h1>");
    }

    // safe: xss
    public void greetSafe(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("name");
        response.getWriter().write("<h1>Hello " + org.owasp.encoder.Encode.forHtml(name) + "</h1>");
    }

    // vuln: open-redirect
    public void afterLogin(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.sendRedirect(request.getParameter("returnUrl"));
    }

    // safe: open-redirect
    public void afterLoginSafe(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String target = request.getParameter("returnUrl");
        if (!"/home".equals(target) && !"/account".equals(target)) {
            target = "/home";
        }
        response.sendRedirect(target);
    }

    // vuln: trust-boundary
    public void rememberUser(HttpServletRequest request) {
        request.getSession().setAttribute("user", request.getParameter("user"));
    }

    // safe: trust-boundary
    public void rememberUserSafe(HttpServletRequest request) {
        request.getSession().setAttribute("lastVisit", System.currentTimeMillis());
    }

    // vuln: insecure-cookie
    public void setSessionCookie(HttpServletResponse response, String token) {
        Cookie cookie = new Cookie("SESSION", token);
        cookie.setSecure(false);
        response.addCookie(cookie);
    }

    // safe: insecure-cookie
    public void setSessionCookieSafe(HttpServletResponse response, String token) {
        Cookie cookie = new Cookie("SESSION", token);
        cookie.setSecure(true);
        cookie.setHttpOnly(true);
        response.addCookie(cookie);
    }

    // vuln: ssrf
    public static String fetch(String url) throws IOException {
        HttpURLConnection conn = (HttpURLConnection) new URL(url).openConnection();
        try (InputStream in = conn.getInputStream()) {
            return new String(in.readAllBytes());
        }
    }

    // safe: ssrf
    public static String fetchSafe(String path) throws IOException {
        if (!path.matches("[a-z/]+")) {
            throw new IllegalArgumentException(path);
        }
        HttpURLConnection conn = (HttpURLConnection) new URL("https://api.example.com/v1/status").openConnection();
        try (InputStream in = conn.getInputStream()) {
            return new String(in.readAllBytes());
        }
    }

    // vuln: deserialization
    public static Object readObject(InputStream in) throws Exception {
        ObjectInputStream ois = new ObjectInputStream(in);
        return ois.readObject();
    }

    // safe: deserialization
    public static Map<?, ?> readJson(InputStream in) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readValue(in, Map.class);
    }

    // vuln: xxe
    public static Document parseXml(String xml) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        DocumentBuilder db = dbf.newDocumentBuilder();
        return db.parse(new InputSource(new StringReader(xml)));
    }

    // safe: xxe
    public static Document parseXmlSafe(String xml) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        DocumentBuilder db = dbf.newDocumentBuilder();
        return db.parse(new InputSource(new StringReader(xml)));
    }

    // vuln: xpath-injection
    public static String lookupRole(Document doc, String user) throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        return xpath.evaluate("/users/user[@name='" + user + "']/role", doc);
    }

    // safe: xpath-injection
    public static String lookupRoleSafe(Document doc) throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        return xpath.evaluate("/users/user[@name='admin']/role", doc);
    }

    // vuln: ldap-injection
    public static Object findAccount(DirContext ctx, String uid) throws Exception {
        return ctx.search("ou=people,dc=example,dc=com", "(uid=" + uid + ")", new SearchControls());
    }

    // safe: ldap-injection
    public static Object findAccountSafe(DirContext ctx, String uid) throws Exception {
        return ctx.search("ou=people,dc=example,dc=com", "(uid={0})", new Object[] {uid}, new SearchControls());
    }

    // vuln: code-injection
    public static Object evaluate(String expression) throws Exception {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");
        return engine.eval(expression);
    }

    // safe: code-injection
    public static Object evaluateSafe() throws Exception {
        ScriptEngine engine = new ScriptEngineManager().getEngineByName("javascript");
        return engine.eval("1 + 2");
    }

    // vuln: cleartext
    public static HttpURLConnection login(String user, String password) throws IOException {
        URL url = new URL("http://auth.example.com/login?user=" + user + "&password=" + password);
        return (HttpURLConnection) url.openConnection();
    }

    // vuln: command-injection
    public void runTool(HttpServletRequest request) throws IOException {
        String param = request.getParameter("tool");
        String bar = param;
        Runtime.getRuntime().exec("cmd /c " + bar);
    }

    // safe: command-injection
    public void constantCondition(HttpServletRequest request) throws IOException {
        String param = request.getParameter("tool");
        String bar;
        int num = 106;
        bar = (7 * 18) + num > 200 ? "This_should_always_happen" : param;
        Runtime.getRuntime().exec("cmd /c " + bar);
    }

    // safe: command-injection
    public void constantConditionTrue(HttpServletRequest request) throws IOException {
        String param = request.getParameter("tool");
        String bar;
        int num = 86;
        if ((7 * 42) - num > 200) {
            bar = "This_should_always_happen";
        } else {
            bar = param;
        }
        Runtime.getRuntime().exec("cmd /c " + bar);
    }

    // vuln: command-injection
    public void constantConditionVuln(HttpServletRequest request) throws IOException {
        String param = request.getParameter("tool");
        String bar;
        int num = 106;
        if ((7 * 42) - num > 200) {
            bar = "This_should_always_happen";
        } else {
            bar = param;
        }
        Runtime.getRuntime().exec("cmd /c " + bar);
    }

    // safe: command-injection
    public void deadBranch(HttpServletRequest request) throws IOException {
        String param = request.getParameter("tool");
        String bar;
        int num = 196;
        if ((500 / 42) + num > 200) {
            bar = param.isEmpty() ? "x" : "This_should_always_happen";
        } else {
            bar = param;
        }
        Runtime.getRuntime().exec("cmd /c " + bar);
    }

    // safe: sql-injection
    public void switchOnConstant(HttpServletRequest request, java.sql.Connection conn) throws Exception {
        String param = request.getParameter("id");
        String bar;
        String guess = "ABC";
        char switchTarget = guess.charAt(1);
        switch (switchTarget) {
            case 'A':
                bar = param;
                break;
            case 'B':
                bar = "bob";
                break;
            case 'C':
            case 'D':
                bar = param;
                break;
            default:
                bar = "bob's your uncle";
                break;
        }
        conn.createStatement().execute("SELECT * FROM t WHERE id = '" + bar + "'");
    }

    // vuln: sql-injection
    public void switchOnConstantVuln(HttpServletRequest request, java.sql.Connection conn) throws Exception {
        String param = request.getParameter("id");
        String bar;
        String guess = "ABC";
        char switchTarget = guess.charAt(2);
        switch (switchTarget) {
            case 'A':
                bar = param;
                break;
            case 'B':
                bar = "bob";
                break;
            case 'C':
            case 'D':
                bar = param;
                break;
            default:
                bar = "bob's your uncle";
                break;
        }
        conn.createStatement().execute("SELECT * FROM t WHERE id = '" + bar + "'");
    }

    // safe: path-traversal
    public void listDecoy(HttpServletRequest request) throws IOException {
        String param = request.getParameter("file");
        List<String> valuesList = new ArrayList<String>();
        valuesList.add("safe");
        valuesList.add(param);
        valuesList.add("moresafe");
        valuesList.remove(0);
        String bar = valuesList.get(1);
        new java.io.FileInputStream(new java.io.File("/data/" + bar)).close();
    }

    // vuln: path-traversal
    public void listDecoyVuln(HttpServletRequest request) throws IOException {
        String param = request.getParameter("file");
        List<String> valuesList = new ArrayList<String>();
        valuesList.add("safe");
        valuesList.add(param);
        valuesList.add("moresafe");
        valuesList.remove(0);
        String bar = valuesList.get(0);
        new java.io.FileInputStream(new java.io.File("/data/" + bar)).close();
    }

    // safe: xss
    public void mapDecoy(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String param = request.getParameter("q");
        HashMap<String, Object> map = new HashMap<String, Object>();
        map.put("keyA-", "a-Value");
        map.put("keyB-", param);
        map.put("keyC", "another-Value");
        String bar = (String) map.get("keyC");
        response.getWriter().println("<p>" + bar + "</p>");
    }

    // vuln: xss
    public void mapDecoyVuln(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String param = request.getParameter("q");
        HashMap<String, Object> map = new HashMap<String, Object>();
        map.put("keyA-", "a-Value");
        map.put("keyB-", param);
        map.put("keyC", "another-Value");
        String bar = (String) map.get("keyB-");
        response.getWriter().println("<p>" + bar + "</p>");
    }

    // safe: sql-injection
    public void literalGuard(HttpServletRequest request, java.sql.Connection conn) throws Exception {
        String sort = request.getParameter("sort");
        if (!List.of("name", "date").contains(sort)) {
            return;
        }
        conn.createStatement().executeQuery("SELECT * FROM t ORDER BY " + sort);
    }
}
