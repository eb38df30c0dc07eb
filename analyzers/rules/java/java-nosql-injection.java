import com.mongodb.BasicDBObject;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import javax.servlet.http.HttpServletRequest;
import org.bson.Document;

public class AccountStore {
    private final MongoCollection<Document> accounts;

    AccountStore(MongoCollection<Document> accounts) { this.accounts = accounts; }

    public Document login(HttpServletRequest request) {
        String user = request.getParameter("user");
        String pass = request.getParameter("pass");
        // ruleid: java-nosql-injection
        return accounts.find(Document.parse("{user: '" + user + "', pass: '" + pass + "'}")).first();
    }

    public long countByType(String type) {
        // ruleid: java-nosql-injection
        return accounts.countDocuments(new BasicDBObject("$where", "this.type == '" + type + "'"));
    }

    public Document byScript(String expr) {
        // ruleid: java-nosql-injection
        return accounts.find(Filters.where("this.balance > " + expr)).first();
    }

    public Document byName(String user) {
        // ok: java-nosql-injection
        return accounts.find(Filters.eq("user", user)).first();
    }

    public Document byNameDocument(String user) {
        // ok: java-nosql-injection
        return accounts.find(new Document("user", user)).first();
    }

    public Document active() {
        // ok: java-nosql-injection
        return accounts.find(Document.parse("{active: true}")).first();
    }
}
