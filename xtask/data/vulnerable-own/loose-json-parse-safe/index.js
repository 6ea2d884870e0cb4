var fs = require('fs');

function stripComments(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:"'])\/\/.*$/gm, '$1');
}

function relax(text) {
  return stripComments(text)
    // trailing commas: [1, 2,] and {"a": 1,}
    .replace(/,\s*([\]}])/g, '$1')
    // unquoted keys: {foo: 1} -> {"foo": 1}
    .replace(/([{,]\s*)([A-Za-z_$][\w$]*)\s*:/g, '$1"$2":')
    // simple single quoted strings without embedded quotes
    .replace(/'([^'\\"]*)'/g, '"$1"');
}

/**
 * Parse `text`. Strict JSON goes straight through JSON.parse; on
 * failure comments, trailing commas, unquoted keys and single quoted
 * strings are rewritten to JSON and parsed again.
 */
function parse(text, reviver) {
  text = String(text);
  try {
    return JSON.parse(text, reviver);
  } catch (e) {
    var source = relax(text).trim();
    if (!source) throw new SyntaxError('loose-json-parse: empty input');
    return JSON.parse(source, reviver);
  }
}

function parseFile(file, reviver) {
  return parse(fs.readFileSync(file, 'utf8'), reviver);
}

module.exports = parse;
module.exports.parse = parse;
module.exports.parseFile = parseFile;
