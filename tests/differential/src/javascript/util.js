// Adapted from small npm utilities (debug, ms, escape-html).
var matchHtmlRegExp = /["'&<>]/;

function escapeHtml(string) {
  var str = '' + string;
  var match = matchHtmlRegExp.exec(str);
  if (!match) {
    return str;
  }
  var escape;
  var html = '';
  var index = 0;
  var lastIndex = 0;
  for (index = match.index; index < str.length; index++) {
    switch (str.charCodeAt(index)) {
      case 34: escape = '&quot;'; break;
      case 38: escape = '&amp;'; break;
      case 39: escape = '&#39;'; break;
      case 60: escape = '&lt;'; break;
      case 62: escape = '&gt;'; break;
      default: continue;
    }
    if (lastIndex !== index) {
      html += str.substring(lastIndex, index);
    }
    lastIndex = index + 1;
    html += escape;
  }
  return lastIndex !== index ? html + str.substring(lastIndex, index) : html;
}

function parse(str) {
  str = String(str);
  if (str.length > 100) {
    return;
  }
  var match = /^(-?(?:\d+)?\.?\d+) *(ms|s|m|h|d)?$/i.exec(str);
  if (!match) {
    return;
  }
  var n = parseFloat(match[1]);
  var type = (match[2] || 'ms').toLowerCase();
  switch (type) {
    case 'h': return n * 3600000;
    case 'm': return n * 60000;
    case 's': return n * 1000;
    default: return n;
  }
}

function load(namespaces) {
  try {
    return JSON.parse(namespaces);
  } catch (e) {
  }
  try {
    return eval(namespaces);
  } catch (error) {
    console.error(error);
  }
}

module.exports = { escapeHtml: escapeHtml, parse: parse, load: load };
