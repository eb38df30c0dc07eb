// Reads feature-flag overrides pasted into the admin console.
function parseOverrides(text) {
  return eval('(' + text + ')');
}

module.exports = { parseOverrides };
