var http = require('http');
var url = require('url');
var path = require('path');
var fs = require('fs');

var MIME = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'application/javascript',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain'
};

function send404(res) {
  res.statusCode = 404;
  res.setHeader('Content-Type', 'text/plain');
  res.end('Not found');
}

function createServer(root, opts) {
  root = path.resolve(root || '.');
  opts = opts || {};
  var index = opts.index || 'index.html';

  return http.createServer(function (req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.statusCode = 405;
      return res.end();
    }

    var pathname = decodeURIComponent(url.parse(req.url).pathname);
    var file = path.join(root, pathname);

    fs.stat(file, function (err, stat) {
      if (err) return send404(res);
      if (stat.isDirectory()) file = path.join(file, index);

      res.setHeader('Content-Type', MIME[path.extname(file)] || 'application/octet-stream');
      if (opts.cors) res.setHeader('Access-Control-Allow-Origin', '*');
      if (req.method === 'HEAD') return res.end();

      var stream = fs.createReadStream(file);
      stream.on('error', function () { send404(res); });
      stream.pipe(res);
    });
  });
}

module.exports = createServer;
