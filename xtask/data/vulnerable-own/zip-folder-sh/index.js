'use strict';

var cp = require('child_process');
var fs = require('fs');
var path = require('path');
var waterfall = require('./lib/waterfall');

function shell() {
  var cmd = arguments[0];
  var cb = arguments[arguments.length - 1];
  cp.exec(cmd, { maxBuffer: 10 * 1024 * 1024 }, function (err, stdout) {
    cb(err, stdout);
  });
}

function buildArgs(out, options) {
  var args = ['zip', '-r', '-q', '-' + (options.level || 6), out, '.'];
  (options.exclude || []).forEach(function (pattern) {
    args.push('-x', '"' + pattern + '"');
  });
  return args.join(' ');
}

/**
 * zipFolder('./dist', './dist.zip', { exclude: ['*.map'] }, function (err) {})
 */
module.exports = function zipFolder(folder, out, options, done) {
  if (typeof options === 'function') {
    done = options;
    options = {};
  }
  options = options || {};
  out = path.resolve(out);

  waterfall([
    function (next) {
      fs.mkdir(path.dirname(out), { recursive: true }, function (err) {
        next(err);
      });
    },
    function (next) {
      var cmd = 'cd ' + JSON.stringify(folder) + ' && ' + buildArgs(out, options);
      shell.apply(null, [cmd, next]);
    },
    function (stdout, next) {
      fs.stat(out, next);
    }
  ], function (err, stat) {
    if (err) return done(err);
    done(null, { path: out, size: stat.size });
  });
};
