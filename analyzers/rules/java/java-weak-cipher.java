import javax.crypto.*;
import javax.crypto.spec.*;

public class TokenCrypto {
    public byte[] legacyEncrypt(byte[] key, byte[] data) throws Exception {
        // ruleid: java-weak-cipher
        Cipher c = Cipher.getInstance("DES/CBC/PKCS5Padding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
        return c.doFinal(data);
    }

    public byte[] encrypt(SecretKey key, byte[] data) throws Exception {
        // ruleid: java-weak-cipher
        Cipher c = Cipher.getInstance("AES/ECB/PKCS5Padding");
        c.init(Cipher.ENCRYPT_MODE, key);
        return c.doFinal(data);
    }

    public byte[] encryptDefault(SecretKey key, byte[] data) throws Exception {
        // ruleid: java-weak-cipher
        Cipher c = Cipher.getInstance("AES");
        c.init(Cipher.ENCRYPT_MODE, key);
        return c.doFinal(data);
    }

    public Cipher stream() throws Exception {
        // ruleid: java-weak-cipher
        return Cipher.getInstance("RC4");
    }

    public byte[] encryptGcm(SecretKey key, byte[] iv, byte[] data) throws Exception {
        // ok: java-weak-cipher
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        return c.doFinal(data);
    }

    public SecretKey newKey() throws Exception {
        // ok: java-weak-cipher
        KeyGenerator kg = KeyGenerator.getInstance("AES");
        kg.init(256);
        return kg.generateKey();
    }

    public Cipher rsa() throws Exception {
        // ok: java-weak-cipher
        return Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
    }
}
