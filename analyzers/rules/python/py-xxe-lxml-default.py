from lxml import etree
from flask import Flask, request

app = Flask(__name__)


@app.route("/invoice", methods=["POST"])
def invoice():
    # ruleid: py-xxe-lxml-default
    doc = etree.fromstring(request.data)
    return doc.findtext("total")


def parse_feed(xml_bytes):
    # ruleid: py-xxe-lxml-default
    parser = etree.XMLParser(remove_blank_text=True)
    return etree.fromstring(xml_bytes, parser)


def parse_feed_safe(xml_bytes):
    # ok: py-xxe-lxml-default
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(xml_bytes, parser)


def load_document(path):
    # ruleid: py-xxe-lxml-default
    return etree.parse(path).getroot()


def load_document_safe(path):
    safe = etree.XMLParser(resolve_entities=False, no_network=True)
    # ok: py-xxe-lxml-default
    return etree.parse(path, safe).getroot()


def template():
    # ok: py-xxe-lxml-default
    return etree.XML("<root><item/></root>")
