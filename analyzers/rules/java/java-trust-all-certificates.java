import java.security.cert.X509Certificate;
import javax.net.ssl.*;
import org.apache.http.conn.ssl.TrustAllStrategy;
import org.apache.http.ssl.SSLContexts;

public class HttpClients {
    public SSLContext insecureContext() throws Exception {
        TrustManager[] trustAll = new TrustManager[] {
            new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}
                // ruleid: java-trust-all-certificates
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                    // trust everything
                }
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, trustAll, new java.security.SecureRandom());
        return ctx;
    }

    public SSLContext apacheContext() throws Exception {
        // ruleid: java-trust-all-certificates
        return SSLContexts.custom().loadTrustMaterial(null, new TrustAllStrategy()).build();
    }

    public Object netty() {
        // ruleid: java-trust-all-certificates
        return io.netty.handler.ssl.SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE);
    }

    public SSLContext apacheLambda() throws Exception {
        // ruleid: java-trust-all-certificates
        return SSLContexts.custom().loadTrustMaterial(null, (chain, authType) -> true).build();
    }

    static class PinnedTrustManager implements X509TrustManager {
        private final X509TrustManager delegate;
        PinnedTrustManager(X509TrustManager delegate) { this.delegate = delegate; }
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }
        // ok: java-trust-all-certificates
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }
        public X509Certificate[] getAcceptedIssuers() { return delegate.getAcceptedIssuers(); }
    }

    public SSLContext privateCa(java.security.KeyStore trustStore) throws Exception {
        // ok: java-trust-all-certificates
        return SSLContexts.custom().loadTrustMaterial(trustStore, null).build();
    }
}
