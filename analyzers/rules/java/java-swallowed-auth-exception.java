import io.jsonwebtoken.*;
import javax.servlet.*;
import javax.servlet.http.*;
import org.springframework.security.authentication.*;
import org.springframework.security.core.Authentication;

public class JwtFilter {
    private JwtParser parser;
    private AuthenticationManager authManager;
    private org.slf4j.Logger log;
    private PermissionService permissions;
    private DocumentRepository repository;

    public void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws Exception {
        String token = req.getHeader("Authorization");
        try {
            parser.parseSignedClaims(token);
        // ruleid: java-swallowed-auth-exception
        } catch (JwtException e) {
            log.warn("bad token: {}", e.getMessage());
        }
        chain.doFilter(req, res);
    }

    public void deleteDocument(User user, long id) {
        try {
            permissions.checkPermission(user, "doc:delete");
        // ruleid: java-swallowed-auth-exception
        } catch (SecurityException e) {
            // TODO: handle
        }
        repository.delete(id);
    }

    public void doFilterSafely(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws Exception {
        String token = req.getHeader("Authorization");
        try {
            parser.parseSignedClaims(token);
        // ok: java-swallowed-auth-exception
        } catch (JwtException e) {
            res.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        chain.doFilter(req, res);
    }

    public Authentication loginOrDeny(String user, String pass) {
        try {
            return authManager.authenticate(new UsernamePasswordAuthenticationToken(user, pass));
        // ok: java-swallowed-auth-exception
        } catch (AuthenticationException e) {
            throw new BadCredentialsException("invalid credentials", e);
        }
    }

    public boolean canReadClipboard(SecurityManager sm) {
        try {
            sm.checkPermission(new java.awt.AWTPermission("accessClipboard"));
            return true;
        // ok: java-swallowed-auth-exception -- success returns inside the try; failure denies below
        } catch (SecurityException e) {
        }
        return false;
    }

    public void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        // ok: java-swallowed-auth-exception
        } catch (java.io.IOException ignored) {
        }
    }
}
