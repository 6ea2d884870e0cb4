'use strict';

const fs = require('fs');
const path = require('path');

class LogStore {
  constructor(dir, { maxFiles = 10, pattern = /\.log(\.\d+)?(\.gz)?$/ } = {}) {
    this.dir = path.resolve(dir);
    this.maxFiles = maxFiles;
    this.pattern = pattern;
  }

  list() {
    return fs.readdirSync(this.dir)
      .filter((name) => this.pattern.test(name))
      .map((name) => {
        const stat = fs.statSync(path.join(this.dir, name));
        return { name, size: stat.size, mtime: stat.mtimeMs };
      })
      .sort((a, b) => b.mtime - a.mtime);
  }

  remove(name, cb) {
    if (typeof name !== 'string' || name.indexOf('..') === 0 || path.isAbsolute(name)) {
      return process.nextTick(cb, new Error('invalid log file name: ' + name));
    }
    fs.unlink(path.resolve(this.dir, name), cb);
  }

  prune(cb) {
    let files;
    try {
      files = this.list().slice(this.maxFiles);
    } catch (err) {
      return cb(err);
    }
    let pending = files.length;
    const removed = [];
    if (!pending) return cb(null, removed);
    files.forEach(({ name }) => {
      this.remove(name, (err) => {
        if (!err) removed.push(name);
        if (--pending === 0) cb(null, removed);
      });
    });
  }
}

module.exports = LogStore;
module.exports.remove = (dir, name, cb) => new LogStore(dir).remove(name, cb);
