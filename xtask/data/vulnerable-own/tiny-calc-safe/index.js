'use strict';

const mathScope = {
  PI: Math.PI,
  E: Math.E,
  abs: Math.abs,
  sqrt: Math.sqrt,
  pow: Math.pow,
  min: Math.min,
  max: Math.max,
  round: Math.round,
  floor: Math.floor,
  ceil: Math.ceil,
  log: Math.log,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan
};

// digits, operators, parentheses, commas and plain identifiers only:
// no dots, brackets, quotes, backticks, semicolons or assignments
const EXPR_RE = /^[\d\s+\-*/%^(),a-zA-Z_]+$/;
const IDENT_RE = /[a-zA-Z_][a-zA-Z0-9_]*/g;
const VAR_NAME_RE = /^[a-z_][a-z0-9_]*$/i;

function compile(expression, names) {
  const source = String(expression).replace(/\^/g, '**').trim();
  if (!source || !EXPR_RE.test(source)) {
    throw new SyntaxError('tiny-calc: invalid expression');
  }
  const allowed = Object.keys(mathScope).concat(names);
  const idents = source.match(IDENT_RE) || [];
  for (const id of idents) {
    if (!allowed.includes(id)) throw new ReferenceError('tiny-calc: unknown name ' + id);
  }
  return new Function(...allowed, '"use strict"; return (' + source + ');');
}

function evaluate(expression, variables = {}) {
  const names = Object.keys(variables);
  for (const name of names) {
    if (!VAR_NAME_RE.test(name) || Object.prototype.hasOwnProperty.call(mathScope, name)) {
      throw new TypeError('tiny-calc: invalid variable name ' + name);
    }
    if (typeof variables[name] !== 'number') {
      throw new TypeError('tiny-calc: variable ' + name + ' must be a number');
    }
  }
  const fn = compile(expression, names);
  const args = Object.keys(mathScope).map((k) => mathScope[k]).concat(names.map((n) => variables[n]));
  const result = fn(...args);
  if (typeof result !== 'number') {
    throw new TypeError('tiny-calc: expression did not evaluate to a number');
  }
  return result;
}

module.exports = evaluate;
module.exports.evaluate = evaluate;
