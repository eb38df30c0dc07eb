// Serves invoice PDFs from the invoices directory.
const fs = require('fs');
const path = require('path');

const INVOICE_DIR = '/srv/billing/invoices';

function readInvoice(name) {
  return fs.readFileSync(path.join(INVOICE_DIR, name));
}

module.exports = { readInvoice };
