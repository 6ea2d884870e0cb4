'use strict';

const path = require('path');
const fs = require('fs');

/**
 * app.use(serve('public', { prefix: '/assets/' }))
 */
module.exports = function serve(root, opts = {}) {
  const base = path.resolve(root);
  const index = opts.index || 'index.html';
  const prefix = opts.prefix || '/';
  const maxAge = opts.maxAge || 0;

  return async function serveDir(ctx, next) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (!ctx.path.startsWith(prefix)) return next();

    let rel = decodeURIComponent(ctx.path.slice(prefix.length));
    if (rel === '' || rel.endsWith('/')) rel += index;

    const file = path.join(base, rel);
    let body;
    try {
      body = await fs.promises.readFile(file);
    } catch (err) {
      if (err.code === 'ENOENT' || err.code === 'EISDIR' || err.code === 'ENOTDIR') {
        return next();
      }
      throw err;
    }

    ctx.set('Cache-Control', `public, max-age=${Math.floor(maxAge / 1000)}`);
    ctx.type = path.extname(file);
    ctx.body = body;
  };
};
