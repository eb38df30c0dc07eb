import java.util.Hashtable;
import javax.naming.NamingEnumeration;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.servlet.http.HttpServletRequest;
import org.springframework.ldap.core.LdapTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

public class DirectoryService {
    private final LdapTemplate ldapTemplate;

    DirectoryService(LdapTemplate ldapTemplate) { this.ldapTemplate = ldapTemplate; }

    public boolean login(HttpServletRequest request) throws Exception {
        DirContext ctx = new InitialDirContext(new Hashtable<String, String>());
        String user = request.getParameter("user");
        String filter = "(&(uid=" + user + ")(objectClass=person))";
        // ruleid: java-ldap-injection
        NamingEnumeration<SearchResult> hits = ctx.search("ou=people,dc=example,dc=com", filter, new SearchControls());
        return hits.hasMore();
    }

    @GetMapping("/people")
    public Object people(@RequestParam String name) {
        // ruleid: java-ldap-injection
        return ldapTemplate.search("ou=people", "(cn=" + name + "*)", (org.springframework.ldap.core.AttributesMapper<String>) a -> a.toString());
    }

    public boolean exists(DirContext context, String uid) throws Exception {
        // ruleid: java-ldap-injection
        return context.search("dc=example,dc=com", String.format("(uid=%s)", uid), new SearchControls()).hasMore();
    }

    public boolean existsSafe(DirContext context, String uid) throws Exception {
        // ok: java-ldap-injection
        return context.search("dc=example,dc=com", "(uid={0})", new Object[] {uid}, new SearchControls()).hasMore();
    }

    public boolean allPeople(DirContext context) throws Exception {
        // ok: java-ldap-injection
        return context.search("dc=example,dc=com", "(objectClass=person)", new SearchControls()).hasMore();
    }

    public int indexOf(java.util.List<String> names, String name) {
        // ok: java-ldap-injection
        return java.util.Collections.binarySearch(names, name);
    }
}
