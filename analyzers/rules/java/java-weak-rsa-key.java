import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.RSAKeyGenParameterSpec;

public class Keys {
    public KeyPairGenerator rsa() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
        // ruleid: java-weak-rsa-key
        kpg.initialize(1024);
        return kpg;
    }

    public KeyPairGenerator dsa() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("DSA");
        // ruleid: java-weak-rsa-key
        kpg.initialize(512, new SecureRandom());
        return kpg;
    }

    public RSAKeyGenParameterSpec spec() {
        // ruleid: java-weak-rsa-key
        return new RSAKeyGenParameterSpec(1024, RSAKeyGenParameterSpec.F4);
    }

    public KeyPairGenerator strong() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
        // ok: java-weak-rsa-key
        kpg.initialize(3072);
        return kpg;
    }

    public KeyPairGenerator curve() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
        // ok: java-weak-rsa-key
        kpg.initialize(256);
        return kpg;
    }
}
