'use strict';

const fs = require('fs');
const path = require('path');
const { marked } = require('marked');

const LAYOUT = [
  '<!doctype html>',
  '<html><head><meta charset="utf-8"><title>{{title}}</title>',
  '<link rel="stylesheet" href="{{css}}"></head>',
  '<body class="markdown-body">{{body}}</body></html>'
].join('\n');

module.exports = function mdPreview(dir, options) {
  options = options || {};
  const root = path.resolve(dir);
  const css = options.css || 'https://cdn.jsdelivr.net/npm/github-markdown-css/github-markdown.min.css';

  return function (req, res, next) {
    if (req.method !== 'GET') return next();

    const { pathname } = new URL(req.url, 'http://localhost');
    const file = path.join(root, decodeURIComponent(pathname));

    fs.readFile(file, 'utf8', (err, src) => {
      if (err) return next();

      if (path.extname(file) !== '.md') {
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        return res.end(src);
      }

      const html = LAYOUT
        .replace('{{title}}', path.basename(file))
        .replace('{{css}}', css)
        .replace('{{body}}', marked.parse(src));
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(html);
    });
  };
};
