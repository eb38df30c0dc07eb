import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.jsonwebtoken.*;
import javax.crypto.SecretKey;

public class TokenFilter {
    private SecretKey key;

    public Claims claims(String token) {
        // ruleid: java-jwt-unverified
        return Jwts.parser().parseClaimsJwt(token).getBody();
    }

    public Object anyToken(String token) {
        // ruleid: java-jwt-unverified
        return Jwts.parser().setSigningKey(key).parse(token).getBody();
    }

    public Claims unsecured(String token) {
        // ruleid: java-jwt-unverified
        return Jwts.parser().unsecured().build().parseUnsecuredClaims(token).getPayload();
    }

    public String issue(String user) {
        // ruleid: java-jwt-unverified
        return JWT.create().withSubject(user).sign(Algorithm.none());
    }

    public Claims verified(String token) {
        // ok: java-jwt-unverified
        return Jwts.parser().verifyWith(key).build().parseSignedClaims(token).getPayload();
    }

    public Claims verifiedLegacy(String token) {
        // ok: java-jwt-unverified
        return Jwts.parserBuilder().setSigningKey(key).build().parseClaimsJws(token).getBody();
    }

    public String subject(String token, String secret) {
        // ok: java-jwt-unverified
        return JWT.require(Algorithm.HMAC256(secret)).build().verify(token).getSubject();
    }
}
