// Serves invoice PDFs from the invoices directory.
const fs = require('fs');
const path = require('path');

const INVOICE_DIR = '/srv/billing/invoices';

function readInvoice(name) {
  const file = path.resolve(INVOICE_DIR, name);
  if (!file.startsWith(INVOICE_DIR + path.sep)) {
    throw new Error('invoice name escapes the invoice directory');
  }
  return fs.readFileSync(file);
}

module.exports = { readInvoice };
