#!/usr/bin/env node
'use strict';

var http = require('http');
var fs = require('fs');
var path = require('path');
var querystring = require('querystring');

var logDir = path.resolve(process.env.LOG_DIR || '/var/log/myapp');
var port = Number(process.env.PORT) || 9001;

function page(title, body) {
  return '<!doctype html><title>' + title + '</title><pre>' + body + '</pre>';
}

function escape(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function listLogs(res) {
  fs.readdir(logDir, function (err, names) {
    if (err) {
      res.writeHead(500);
      return res.end(err.message);
    }
    var links = names.map(function (n) {
      return '<a href="/view?file=' + encodeURIComponent(n) + '">' + escape(n) + '</a>';
    });
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(page('logs', links.join('\n')));
  });
}

function viewLog(query, res) {
  var lines = Math.min(parseInt(query.lines, 10) || 200, 5000);
  var file = path.resolve(logDir, query.file || '');

  fs.readFile(file, 'utf8', function (err, text) {
    if (err) {
      res.writeHead(404);
      return res.end('cannot read ' + query.file);
    }
    var tail = text.split('\n').slice(-lines).join('\n');
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(page(path.basename(file), escape(tail)));
  });
}

var server = http.createServer(function (req, res) {
  var parts = req.url.split('?');
  var query = querystring.parse(parts[1] || '');

  if (parts[0] === '/') return listLogs(res);
  if (parts[0] === '/view') return viewLog(query, res);
  res.writeHead(404);
  res.end();
});

if (require.main === module) {
  server.listen(port, function () {
    console.log('tail-web: ' + logDir + ' on http://localhost:' + port);
  });
}

module.exports = server;
