package com.example.shop;

import java.security.cert.X509Certificate;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import javax.crypto.Cipher;

public final class TlsConfig {
    private TlsConfig() {}

    public static SSLContext trustAll() throws Exception {
        TrustManager[] managers = new TrustManager[] {
            new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, managers, new java.security.SecureRandom());
        return ctx;
    }

    public static HostnameVerifier anyHost() {
        return (hostname, session) -> true;
    }

    public static HostnameVerifier strictHost() {
        return new HostnameVerifier() {
            @Override
            public boolean verify(String hostname, SSLSession session) {
                return true;
            }
        };
    }

    public static Cipher legacyCipher() throws Exception {
        Cipher a = Cipher.getInstance("DES/CBC/PKCS5Padding");
        Cipher b = Cipher.getInstance("AES/ECB/PKCS5Padding");
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        return a != null ? a : b != null ? b : c;
    }
}
