import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.Base64;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPSClient;

public class Transfers {
    public void upload(String host, String user, String password, InputStream data) throws Exception {
        // ruleid: java-cleartext-credentials
        FTPClient ftp = new FTPClient();
        ftp.connect(host);
        ftp.login(user, password);
        ftp.storeFile("backup.tar.gz", data);
        ftp.logout();
    }

    public void uploadTls(String host, String user, String password, InputStream data) throws Exception {
        // ok: java-cleartext-credentials
        FTPSClient ftp = new FTPSClient();
        ftp.connect(host);
        ftp.login(user, password);
        ftp.execPROT("P");
        ftp.storeFile("backup.tar.gz", data);
    }

    public void anonymousList(String host) throws Exception {
        // ok: java-cleartext-credentials
        FTPClient ftp = new FTPClient();
        ftp.connect(host);
        ftp.listFiles();
    }

    public int fetchOrders(String user, String password) throws Exception {
        // ruleid: java-cleartext-credentials
        HttpURLConnection conn = (HttpURLConnection) new URL("http://api.example.com/orders").openConnection();
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
        conn.setRequestProperty("Authorization", "Basic " + basic);
        return conn.getResponseCode();
    }

    public int fetchOrdersTls(String user, String password) throws Exception {
        // ok: java-cleartext-credentials
        HttpURLConnection conn = (HttpURLConnection) new URL("https://api.example.com/orders").openConnection();
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
        conn.setRequestProperty("Authorization", "Basic " + basic);
        return conn.getResponseCode();
    }

    public int publicPage() throws Exception {
        // ok: java-cleartext-credentials
        return ((HttpURLConnection) new URL("http://example.com/").openConnection()).getResponseCode();
    }
}
