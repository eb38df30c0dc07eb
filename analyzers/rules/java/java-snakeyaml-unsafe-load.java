import java.io.InputStream;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

public class ConfigLoader {
    // ruleid: java-snakeyaml-unsafe-load
    private final Yaml yaml = new Yaml();

    public Map<String, Object> parse(String body) {
        return yaml.load(body);
    }

    public Object parseUpload(InputStream in) {
        // ruleid: java-snakeyaml-unsafe-load
        return new Yaml().load(in);
    }

    public Object parseSafely(String body) {
        // ok: java-snakeyaml-unsafe-load
        Yaml safe = new Yaml(new SafeConstructor(new LoaderOptions()));
        return safe.load(body);
    }

    public String dump(Map<String, Object> data) {
        // ok: java-snakeyaml-unsafe-load
        Yaml writer = new Yaml();
        return writer.dump(data);
    }
}
