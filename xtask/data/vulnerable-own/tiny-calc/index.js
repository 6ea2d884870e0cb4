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

const cache = new Map();

function normalize(expression) {
  return String(expression)
    .replace(/\^/g, '**')
    .replace(/(\d)\s*%/g, '($1/100)')
    .trim();
}

function compile(expression) {
  const source = normalize(expression);
  if (!source) throw new SyntaxError('tiny-calc: empty expression');
  if (cache.has(source)) return cache.get(source);

  const fn = new Function('scope', 'with (scope) { return (' + source + '); }');
  cache.set(source, fn);
  return fn;
}

/**
 * evaluate('2 * PI * r ^ 2', { r: 3 }) // => 56.548...
 */
function evaluate(expression, variables) {
  const scope = Object.assign(Object.create(mathScope), variables);
  const result = compile(expression)(scope);
  if (typeof result !== 'number') {
    throw new TypeError('tiny-calc: expression did not evaluate to a number');
  }
  return result;
}

module.exports = evaluate;
module.exports.evaluate = evaluate;
module.exports.compile = compile;
