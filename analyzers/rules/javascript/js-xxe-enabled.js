const libxmljs = require("libxmljs2");

function importInvoice(req, res) {
  // ruleid: js-xxe-enabled
  const doc = libxmljs.parseXml(req.body, { noent: true });
  res.json({ total: doc.get("//total").text() });
}

function importFeed(xml) {
  const doc = libxmljs.parseXmlString(xml, {
    noblanks: true,
    // ruleid: js-xxe-enabled
    dtdload: true,
  });
  return doc.root().name();
}

function importOk(req, xml) {
  // ok: js-xxe-enabled
  const doc = libxmljs.parseXml(req.body, { noent: false, nonet: true });
  // ok: js-xxe-enabled
  const other = libxmljs.parseXml(xml);
  // ok: js-xxe-enabled
  const options = { noent: true };
  return [doc, other, options];
}
