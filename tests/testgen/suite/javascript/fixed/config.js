// Reads feature-flag overrides pasted into the admin console.
function parseOverrides(text) {
  return JSON.parse(text);
}

module.exports = { parseOverrides };
