import java.beans.XMLDecoder;
import java.io.*;
import javax.servlet.http.HttpServletRequest;

public class SessionStore {
    public Object load(HttpServletRequest request) throws Exception {
        ObjectInputStream in = new ObjectInputStream(request.getInputStream());
        // ruleid: java-unsafe-deserialization
        Object state = in.readObject();
        return state;
    }

    public Object fromBytes(byte[] data) throws Exception {
        // ruleid: java-unsafe-deserialization
        return new ObjectInputStream(new ByteArrayInputStream(data)).readObject();
    }

    public Object fromXml(InputStream body) {
        // ruleid: java-unsafe-deserialization
        XMLDecoder decoder = new XMLDecoder(body);
        return decoder.readObject();
    }

    public Object filtered(InputStream body) throws Exception {
        ObjectInputStream in = new ObjectInputStream(body);
        in.setObjectInputFilter(ObjectInputFilter.Config.createFilter("com.example.dto.*;!*"));
        // ok: java-unsafe-deserialization
        return in.readObject();
    }

    public Object fromJson(InputStream body, com.fasterxml.jackson.databind.ObjectMapper mapper) throws Exception {
        // ok: java-unsafe-deserialization
        return mapper.readValue(body, UserDto.class);
    }

    public Object ownReader(SafeObjectInputStream in) throws Exception {
        // ok: java-unsafe-deserialization
        return in.readObject();
    }
}
