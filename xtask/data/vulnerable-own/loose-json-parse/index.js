var fs = require('fs');

function stripComments(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:"'])\/\/.*$/gm, '$1');
}

function walk(holder, key, reviver) {
  var value = holder[key];
  if (value && typeof value === 'object') {
    Object.keys(value).forEach(function (k) {
      var v = walk(value, k, reviver);
      if (v === undefined) delete value[k];
      else value[k] = v;
    });
  }
  return reviver.call(holder, key, value);
}

/**
 * Parse `text`. Strict JSON goes through JSON.parse; everything
 * else (comments, 'single quotes', {unquoted: keys}, [1, 2,]) is
 * handled by the JavaScript parser.
 */
function parse(text, reviver) {
  var value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    var source = stripComments(String(text)).trim();
    if (!source) throw new SyntaxError('loose-json-parse: empty input');
    value = eval('(' + source + ')');
  }
  if (typeof reviver === 'function') {
    return walk({ '': value }, '', reviver);
  }
  return value;
}

function parseFile(file, reviver) {
  return parse(fs.readFileSync(file, 'utf8'), reviver);
}

module.exports = parse;
module.exports.parse = parse;
module.exports.parseFile = parseFile;
