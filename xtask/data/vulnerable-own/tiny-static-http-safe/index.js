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

function sendStatus(res, code, text) {
  res.statusCode = code;
  res.setHeader('Content-Type', 'text/plain');
  res.end(text);
}

function createServer(root, opts) {
  root = path.resolve(root || '.');
  opts = opts || {};
  var index = opts.index || 'index.html';

  return http.createServer(function (req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendStatus(res, 405, 'Method not allowed');
    }

    var pathname;
    try {
      pathname = decodeURIComponent(url.parse(req.url).pathname);
    } catch (e) {
      return sendStatus(res, 400, 'Bad request');
    }

    var file = path.resolve(root, '.' + path.sep + pathname);
    if (file !== root && !file.startsWith(root + path.sep)) {
      return sendStatus(res, 403, 'Forbidden');
    }

    fs.stat(file, function (err, stat) {
      if (err) return sendStatus(res, 404, 'Not found');
      if (stat.isDirectory()) file = path.join(file, index);

      res.setHeader('Content-Type', MIME[path.extname(file)] || 'application/octet-stream');
      if (opts.cors) res.setHeader('Access-Control-Allow-Origin', '*');
      if (req.method === 'HEAD') return res.end();

      var stream = fs.createReadStream(file);
      stream.on('error', function () { sendStatus(res, 404, 'Not found'); });
      stream.pipe(res);
    });
  });
}

module.exports = createServer;
