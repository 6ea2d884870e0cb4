'use strict';

const { execFile } = require('child_process');

const defaults = {
  cwd: process.cwd(),
  pattern: '*',
  sort: '-version:refname',
  maxBuffer: 1024 * 1024
};

function run(args, options, callback) {
  execFile('git', args, { cwd: options.cwd, maxBuffer: options.maxBuffer }, function (err, stdout, stderr) {
    if (err) {
      err.stderr = String(stderr || '').trim();
      return callback(err);
    }
    callback(null, String(stdout));
  });
}

function parse(stdout) {
  return stdout
    .split('\n')
    .map(function (line) { return line.trim(); })
    .filter(Boolean);
}

/**
 * List the tags of a git repository.
 *
 * @param {Object} [opts]
 * @param {String} [opts.cwd] repository directory, defaults to process.cwd()
 * @param {String} [opts.pattern] glob handed to `git tag -l`
 * @param {String} [opts.sort] sort key, see `git help tag`
 * @param {Function} callback (err, tags)
 */
function listTags(opts, callback) {
  if (typeof opts === 'function') {
    callback = opts;
    opts = {};
  }
  const options = Object.assign({}, defaults, opts);
  const args = ['tag', '-l', `--sort=${options.sort}`, '--', options.pattern];

  run(args, options, function (err, stdout) {
    if (err) return callback(err);
    callback(null, parse(stdout));
  });
}

function latest(opts, callback) {
  if (typeof opts === 'function') {
    callback = opts;
    opts = {};
  }
  listTags(opts, function (err, tags) {
    if (err) return callback(err);
    callback(null, tags.length ? tags[0] : null);
  });
}

module.exports = listTags;
module.exports.listTags = listTags;
module.exports.latest = latest;
