'use strict';

var cp = require('child_process');

function PortKiller(options) {
  if (!(this instanceof PortKiller)) return new PortKiller(options);
  options = options || {};
  this.signal = options.signal || 'TERM';
  this.protocol = options.protocol || 'tcp';
}

PortKiller.prototype.command = function (port) {
  var find = ['lsof', '-t', '-i', this.protocol + ':' + port];
  return find.concat(['|', 'xargs', '-r', 'kill', '-' + this.signal]);
};

PortKiller.prototype.kill = function (port, callback) {
  var self = this;
  var cmd = Array.prototype.join.call(this.command(port), ' ');
  callback = callback || function () {};
  cp.exec(cmd, function (err, stdout, stderr) {
    if (err && err.code !== 123) {
      err.stderr = stderr;
      return callback(err);
    }
    callback(null, { port: port, signal: self.signal });
  });
  return this;
};

PortKiller.prototype.killAll = function (ports, callback) {
  var self = this;
  var pending = ports.length;
  var failed = null;
  if (!pending) return callback(null);
  ports.forEach(function (port) {
    self.kill(port, function (err) {
      if (err && !failed) failed = err;
      if (--pending === 0) callback(failed);
    });
  });
};

module.exports = function kill(port, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = {};
  }
  return new PortKiller(options).kill(port, callback);
};

module.exports.PortKiller = PortKiller;
