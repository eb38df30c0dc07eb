import javax.net.ssl.*;
import okhttp3.OkHttpClient;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.impl.client.HttpClients;

public class Clients {
    static class TrustingVerifier implements HostnameVerifier {
        // ruleid: java-hostname-verification-disabled
        @Override
        public boolean verify(String hostname, SSLSession session) {
            return true;
        }
    }

    public void configure(HttpsURLConnection conn) {
        // ruleid: java-hostname-verification-disabled
        conn.setHostnameVerifier((hostname, session) -> true);
    }

    public OkHttpClient okhttp() {
        // ruleid: java-hostname-verification-disabled
        return new OkHttpClient.Builder().hostnameVerifier((h, s) -> true).build();
    }

    public Object apache() {
        // ruleid: java-hostname-verification-disabled
        return HttpClients.custom().setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE).build();
    }

    public Object apacheDefault() {
        // ok: java-hostname-verification-disabled
        return HttpClients.custom().setSSLHostnameVerifier(new DefaultHostnameVerifier()).build();
    }

    public void pinned(HttpsURLConnection conn) {
        // ok: java-hostname-verification-disabled
        conn.setHostnameVerifier((hostname, session) -> "api.internal.example.com".equals(hostname)
                && HttpsURLConnection.getDefaultHostnameVerifier().verify(hostname, session));
    }

    static class Signature {
        // ok: java-hostname-verification-disabled
        public boolean verify(byte[] data, byte[] sig) {
            return true;
        }
    }
}
