import xml.sax
from xml.sax.handler import feature_external_ges

from lxml import etree


def parse_invoice(body):
    # ruleid: py-xxe-enabled
    parser = etree.XMLParser(resolve_entities=True)
    return etree.fromstring(body, parser)


def parse_feed(body):
    parser = etree.XMLParser(
        # ruleid: py-xxe-enabled
        no_network=False,
        recover=True,
    )
    return etree.fromstring(body, parser)


def sax_parse(stream, handler):
    parser = xml.sax.make_parser()
    # ruleid: py-xxe-enabled
    parser.setFeature(feature_external_ges, True)
    # ruleid: py-xxe-enabled
    parser.setFeature(xml.sax.handler.feature_external_pes, 1)
    parser.setContentHandler(handler)
    parser.parse(stream)


def parse_safe(body, stream, handler):
    # ok: py-xxe-enabled
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.fromstring(body, parser)
    sax = xml.sax.make_parser()
    # ok: py-xxe-enabled
    sax.setFeature(feature_external_ges, False)
    # ok: py-xxe-enabled
    sax.setFeature(xml.sax.handler.feature_namespaces, True)
    sax.setContentHandler(handler)
    sax.parse(stream)
    return tree
