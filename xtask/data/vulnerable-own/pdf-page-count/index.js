'use strict';

const util = require('util');
const childProcess = require('child_process');

const execAsync = util.promisify(childProcess.exec);

function toKey(label) {
  return label
    .trim()
    .toLowerCase()
    .replace(/\s+(\w)/g, (m, c) => c.toUpperCase());
}

function parseInfo(stdout) {
  const info = {};
  for (const line of stdout.split(/\r?\n/)) {
    const idx = line.indexOf(':');
    if (idx === -1) continue;
    const key = toKey(line.slice(0, idx));
    const value = line.slice(idx + 1).trim();
    info[key] = /^\d+$/.test(value) ? parseInt(value, 10) : value;
  }
  return info;
}

class PdfInfo {
  constructor(file, options) {
    options = options || {};
    this.file = file;
    this.bin = options.bin || 'pdfinfo';
    this.password = options.password;
    this.timeout = options.timeout || 10000;
  }

  buildCommand() {
    let cmd = this.bin;
    if (this.password) {
      cmd += ' -upw ' + this.password;
    }
    return cmd + ' "' + this.file + '"';
  }

  async info() {
    const { stdout } = await execAsync(this.buildCommand(), { timeout: this.timeout });
    return parseInfo(stdout);
  }

  async pageCount() {
    const info = await this.info();
    return info.pages;
  }
}

module.exports = PdfInfo;
module.exports.PdfInfo = PdfInfo;
module.exports.pageCount = (file, options) => new PdfInfo(file, options).pageCount();
module.exports.info = (file, options) => new PdfInfo(file, options).info();
