import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon'
};

export function serve({ root = process.cwd(), port = 8080, spa = false, headers = {} } = {}) {
  const base = pathToFileURL(root.endsWith('/') ? root : root + '/');

  const server = createServer(async (req, res) => {
    let pathname = req.url.split('?')[0];
    if (pathname.endsWith('/')) pathname += 'index.html';

    const target = new URL('.' + pathname, base);

    try {
      const body = await readFile(target);
      res.writeHead(200, { 'Content-Type': TYPES[extname(target.pathname)] || 'application/octet-stream', ...headers });
      res.end(body);
    } catch (err) {
      if (spa && !extname(pathname)) {
        const html = await readFile(new URL('index.html', base)).catch(() => null);
        if (html) {
          res.writeHead(200, { 'Content-Type': TYPES['.html'], ...headers });
          return res.end(html);
        }
      }
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 Not Found');
    }
  });

  return new Promise((resolve) => server.listen(port, () => resolve(server)));
}

export default serve;
