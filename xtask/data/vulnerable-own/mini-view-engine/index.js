'use strict';

const fs = require('fs');
const path = require('path');

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(value) {
  return String(value == null ? '' : value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function lookup(data, key) {
  return key.split('.').reduce((obj, part) => (obj == null ? undefined : obj[part]), data);
}

class Engine {
  constructor(opts = {}) {
    this.root = opts.root || path.join(process.cwd(), 'views');
    this.ext = opts.ext || '.html';
    this.cache = opts.cache ? new Map() : null;
  }

  load(name) {
    if (!path.extname(name)) name += this.ext;
    const file = path.join(this.root, name);
    if (this.cache && this.cache.has(file)) return this.cache.get(file);

    const src = fs.readFileSync(file, 'utf8');
    if (this.cache) this.cache.set(file, src);
    return src;
  }

  render(name, data = {}) {
    const src = this.load(name)
      .replace(/\{\{>\s*([\w/-]+)\s*\}\}/g, (m, partial) => this.load(partial));
    return src
      .replace(/\{\{\{\s*([\w.]+)\s*\}\}\}/g, (m, key) => String(lookup(data, key) ?? ''))
      .replace(/\{\{\s*([\w.]+)\s*\}\}/g, (m, key) => escapeHtml(lookup(data, key)));
  }

  /**
   * Express compatible view engine:
   *   app.engine('html', new Engine({ root: 'views' }).express())
   */
  express() {
    return (filePath, options, callback) => {
      try {
        callback(null, this.render(path.relative(this.root, filePath), options));
      } catch (err) {
        callback(err);
      }
    };
  }
}

module.exports = Engine;
module.exports.render = (name, data, opts) => new Engine(opts).render(name, data);
