import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.DigestUtils;

public class PasswordService {
    public byte[] hashPassword(String password) throws Exception {
        // ruleid: java-weak-hash
        MessageDigest md = MessageDigest.getInstance("MD5");
        return md.digest(password.getBytes(StandardCharsets.UTF_8));
    }

    public String resetToken(String email, long now) throws Exception {
        // ruleid: java-weak-hash
        byte[] tokenBytes = MessageDigest.getInstance("SHA-1").digest((email + now).getBytes());
        return java.util.HexFormat.of().formatHex(tokenBytes);
    }

    public String fingerprint(String clientId, String apiKey) {
        // ruleid: java-weak-hash
        return DigestUtils.md5Hex(clientId + ":" + apiKey);
    }

    public byte[] hashPasswordSafely(String password) throws Exception {
        // ok: java-weak-hash
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        return md.digest(password.getBytes(StandardCharsets.UTF_8));
    }

    public String etag(byte[] body) throws Exception {
        // ok: java-weak-hash
        byte[] digest = MessageDigest.getInstance("MD5").digest(body);
        return java.util.HexFormat.of().formatHex(digest);
    }

    public String cacheKey(String url) {
        // ok: java-weak-hash
        return DigestUtils.sha1Hex(url);
    }

    public byte[] tokenDigest(byte[] token) throws Exception {
        // ruleid: java-weak-hash
        return java.security.MessageDigest.getInstance("SHA1", "SUN").digest(token);
    }

    public byte[] tokenDigestStrong(byte[] token) throws Exception {
        // ok: java-weak-hash
        return java.security.MessageDigest.getInstance("SHA-256", "SUN").digest(token);
    }
}
