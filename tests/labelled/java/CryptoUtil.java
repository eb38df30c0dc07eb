package com.example.app;

import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

// Crypto helpers (labelled per method).
public class CryptoUtil {

    // vuln: weak-hash
    public static byte[] hashPassword(String password) throws NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("MD5");
        return md.digest(password.getBytes());
    }

    // safe: weak-hash
    public static byte[] hashPasswordSafe(String password) throws NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        return md.digest(password.getBytes());
    }

    // vuln: weak-hash
    public static byte[] fingerprint(byte[] data) throws Exception {
        return java.security.MessageDigest.getInstance("SHA1", "SUN").digest(data);
    }

    // safe: weak-hash
    public static byte[] fingerprintSafe(byte[] data) throws Exception {
        return java.security.MessageDigest.getInstance("SHA-512").digest(data);
    }

    // vuln: weak-random
    public static String newSessionId() {
        Random random = new Random();
        return Long.toHexString(random.nextLong());
    }

    // safe: weak-random
    public static String newSessionIdSafe() {
        SecureRandom random = new SecureRandom();
        return Long.toHexString(random.nextLong());
    }

    // vuln: weak-random
    public static String resetCode() {
        int code = new java.util.Random().nextInt(1000000);
        return String.format("%06d", code);
    }

    // safe: weak-random
    public static int pickColorIndex(int colors) {
        return new Random().nextInt(colors);
    }

    // vuln: weak-random
    public static String apiToken() {
        return "tok_" + (long) (Math.random() * Long.MAX_VALUE);
    }

    // vuln: weak-cipher
    public static byte[] encryptDes(byte[] key, byte[] data) throws Exception {
        Cipher cipher = Cipher.getInstance("DES/ECB/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
        return cipher.doFinal(data);
    }

    // vuln: weak-cipher
    public static byte[] encryptAesEcb(byte[] key, byte[] data) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/ECB/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        return cipher.doFinal(data);
    }

    // safe: weak-cipher
    public static byte[] encryptAesGcm(byte[] key, byte[] data) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        return cipher.doFinal(data);
    }

    // vuln: weak-cipher
    public static Cipher rc4() throws Exception {
        return Cipher.getInstance("RC4");
    }

    // vuln: weak-key
    public static KeyPairGenerator rsaGenerator() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
        kpg.initialize(1024);
        return kpg;
    }

    // safe: weak-key
    public static KeyPairGenerator rsaGeneratorSafe() throws Exception {
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
        kpg.initialize(3072);
        return kpg;
    }

    // vuln: hardcoded-secret
    public static SecretKeySpec signingKey() {
        String secret = "s3cr3t-signing-key-2024-prod!";
        return new SecretKeySpec(secret.getBytes(), "HmacSHA256");
    }

    // safe: hardcoded-secret
    public static SecretKeySpec signingKeySafe() {
        String secret = System.getenv("SIGNING_KEY");
        return new SecretKeySpec(secret.getBytes(), "HmacSHA256");
    }
}
