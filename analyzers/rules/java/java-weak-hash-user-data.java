import java.nio.charset.StandardCharsets;
import java.security.*;
import java.util.HexFormat;
import javax.servlet.http.HttpServletRequest;
import org.apache.commons.codec.digest.DigestUtils;

public class ProfileService {
    public String emailFingerprint(String email) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        // ruleid: java-weak-hash-user-data
        md.update(email.toLowerCase().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
    }

    public String documentId(HttpServletRequest request) throws Exception {
        String body = request.getParameter("content");
        // ruleid: java-weak-hash-user-data
        byte[] id = java.security.MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(id);
    }

    public String userKey(String username) {
        // ruleid: java-weak-hash-user-data
        return DigestUtils.sha1Hex(username);
    }

    public String emailFingerprintSafe(String email) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        // ok: java-weak-hash-user-data
        md.update(email.toLowerCase().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
    }

    public String cacheKey(String url) {
        // ok: java-weak-hash-user-data
        return DigestUtils.md5Hex(url);
    }

    public String buildStamp() throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        // ok: java-weak-hash-user-data
        md.update("build-2024-11".getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
    }

    public String userKeySafe(String username) {
        // ok: java-weak-hash-user-data
        return DigestUtils.sha256Hex(username);
    }

    public byte[] register(String password) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        // java-weak-hash reports a password's hash; this rule stays quiet.
        // ok: java-weak-hash-user-data
        md.update(password.getBytes(StandardCharsets.UTF_8));
        return md.digest();
    }
}
