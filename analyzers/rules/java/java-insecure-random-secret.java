import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.lang3.RandomStringUtils;

public class TokenService {
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public String generateResetToken() {
        // ruleid: java-insecure-random-secret
        Random random = new Random();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32; i++) sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        return sb.toString();
    }

    public void issue(User user) {
        // ruleid: java-insecure-random-secret
        String sessionId = Long.toHexString(ThreadLocalRandom.current().nextLong());
        // ruleid: java-insecure-random-secret
        user.tempPassword = RandomStringUtils.randomAlphanumeric(12);
        user.setSession(sessionId);
    }

    public int otpCode() {
        // ruleid: java-insecure-random-secret
        return (int) (Math.random() * 1_000_000);
    }

    public String generateApiKey() {
        // ok: java-insecure-random-secret
        SecureRandom rng = new SecureRandom();
        byte[] buf = new byte[32];
        rng.nextBytes(buf);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buf);
    }

    public int retryJitterMillis() {
        // ok: java-insecure-random-secret
        return 100 + new Random().nextInt(400);
    }

    public java.util.List<String> shuffleTokens(java.util.List<String> tokens) {
        // ok: java-insecure-random-secret -- the order of a list is not a secret
        java.util.Collections.shuffle(tokens, new SecureRandom());
        return tokens;
    }
}
