import java.io.InputStream;
import javax.xml.stream.*;

public class FeedReader {
    public XMLStreamReader open(InputStream body) throws XMLStreamException {
        // ruleid: java-xxe-xmlinputfactory
        XMLInputFactory factory = XMLInputFactory.newInstance();
        return factory.createXMLStreamReader(body);
    }

    public XMLEventReader events(InputStream body) throws XMLStreamException {
        // ruleid: java-xxe-xmlinputfactory
        return XMLInputFactory.newFactory().createXMLEventReader(body);
    }

    public XMLStreamReader openSafely(InputStream body) throws XMLStreamException {
        // ok: java-xxe-xmlinputfactory
        XMLInputFactory factory = XMLInputFactory.newInstance();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        return factory.createXMLStreamReader(body);
    }

    public XMLStreamReader openNoEntities(InputStream body) throws XMLStreamException {
        // ok: java-xxe-xmlinputfactory
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty("javax.xml.stream.isSupportingExternalEntities", false);
        return factory.createXMLStreamReader(body);
    }
}
