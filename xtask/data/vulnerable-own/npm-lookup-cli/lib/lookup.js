'use strict';

const { execSync } = require('child_process');

function runNpm(registry, args) {
  const registryFlag = registry ? `--registry=${registry}` : '';
  const out = execSync(`npm view --json ${registryFlag} ${args.join(' ')}`, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  });
  return out.trim() ? JSON.parse(out) : undefined;
}

/**
 * Look up `field` of package `name`.
 *
 *   lookup('express', 'version', {}, function (err, version) {})
 */
function lookup(name, field, opts, cb) {
  if (typeof opts === 'function') {
    cb = opts;
    opts = {};
  }
  opts = opts || {};
  const npm = runNpm.bind(null, opts.registry);
  let value;
  try {
    value = npm(field ? [name, field] : [name]);
  } catch (err) {
    return cb(new Error('npm view failed for ' + name + ': ' + err.message));
  }
  cb(null, value);
}

lookup.versions = function (name, opts, cb) {
  lookup(name, 'versions', opts, cb);
};

module.exports = lookup;
