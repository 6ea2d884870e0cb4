'use strict';

const ENTITIES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

function escape(value) {
  return String(value == null ? '' : value).replace(/[&<>"]/g, (c) => ENTITIES[c]);
}

/**
 * Compile a template into a render function.
 *
 *   Hello {{ user.name }}, you have {{ items.length }} new messages
 *   {{# raw html }} is inserted without escaping
 */
function compile(template) {
  let code = 'var out = "";\nwith (data) {\n';
  let last = 0;
  const re = /\{\{(#?)\s*([\s\S]+?)\s*\}\}/g;
  let m;

  while ((m = re.exec(template)) !== null) {
    code += 'out += ' + JSON.stringify(template.slice(last, m.index)) + ';\n';
    code += m[1] === '#'
      ? 'out += (' + m[2] + ');\n'
      : 'out += escape(' + m[2] + ');\n';
    last = re.lastIndex;
  }
  code += 'out += ' + JSON.stringify(template.slice(last)) + ';\n}\nreturn out;';

  const fn = Function('data', 'escape', code);
  return (data) => fn(data || {}, escape);
}

function render(template, data) {
  return compile(template)(data);
}

module.exports = { compile, render, escape };
