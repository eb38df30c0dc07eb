import java.sql.Connection;
import java.sql.DriverManager;
import javax.crypto.spec.SecretKeySpec;
import com.auth0.jwt.algorithms.Algorithm;
import org.springframework.beans.factory.annotation.Value;

public class AppConfig {
    // ruleid: java-hardcoded-secret
    private static final String DB_PASSWORD = "S3cr3t!2024";
    // ruleid: java-hardcoded-secret
    private String stripeApiKey = "sk_live_51HqLyjWDarjtT1zdp7dc";

    // ok: java-hardcoded-secret
    private static final String PASSWORD_PROPERTY = "spring.datasource.password";
    // ok: java-hardcoded-secret
    private String apiKeyHeader = "X-Api-Key";
    // ok: java-hardcoded-secret
    private static final String KEYSTORE_PASSWORD_ENV = "keystorepasswordenv";
    @Value("${jwt.secret}")
    // ok: java-hardcoded-secret
    private String jwtSecret;

    public Connection open(String url) throws Exception {
        // ruleid: java-hardcoded-secret
        return DriverManager.getConnection(url, "admin", "hunter2hunter2");
    }

    public Connection openFromEnv(String url) throws Exception {
        // ok: java-hardcoded-secret
        String password = System.getenv("DB_PASSWORD");
        return DriverManager.getConnection(url, System.getenv("DB_USER"), password);
    }

    public Algorithm signer() {
        // ruleid: java-hardcoded-secret
        return Algorithm.HMAC256("my-super-secret-signing-key");
    }

    public SecretKeySpec key() {
        // ruleid: java-hardcoded-secret
        return new SecretKeySpec("0123456789abcdef".getBytes(), "AES");
    }

    public Algorithm signerFromEnv() {
        // ok: java-hardcoded-secret
        return Algorithm.HMAC256(System.getenv("JWT_SECRET"));
    }

    public String placeholder() {
        // ok: java-hardcoded-secret
        String clientSecret = "${CLIENT_SECRET}";
        return clientSecret;
    }
}
