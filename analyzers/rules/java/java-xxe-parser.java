import java.io.InputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.*;
import org.w3c.dom.Document;
import org.xml.sax.helpers.DefaultHandler;

public class XmlImport {
    public Document parse(InputStream body) throws Exception {
        // ruleid: java-xxe-parser
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setNamespaceAware(true);
        return dbf.newDocumentBuilder().parse(body);
    }

    public void stream(InputStream body, DefaultHandler handler) throws Exception {
        // ruleid: java-xxe-parser
        SAXParserFactory spf = SAXParserFactory.newInstance();
        spf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        spf.newSAXParser().parse(body, handler);
    }

    public Document parseSafely(InputStream body) throws Exception {
        // ok: java-xxe-parser
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        dbf.setXIncludeAware(false);
        return dbf.newDocumentBuilder().parse(body);
    }

    public void streamSafely(InputStream body, DefaultHandler handler) throws Exception {
        // ok: java-xxe-parser
        SAXParserFactory spf = SAXParserFactory.newInstance();
        spf.setFeature("http://xml.org/sax/features/external-general-entities", false);
        spf.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        spf.newSAXParser().parse(body, handler);
    }

    public Document parseWithAttribute(InputStream body) throws Exception {
        // ok: java-xxe-parser
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        dbf.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return dbf.newDocumentBuilder().parse(body);
    }
}
