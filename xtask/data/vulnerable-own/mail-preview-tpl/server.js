'use strict';

const http = require('http');
const { render } = require('./lib/template');

const SAMPLE = {
  user: { name: 'Ada', email: 'ada@example.com' },
  items: [{ title: 'Welcome' }, { title: 'Your invoice' }]
};

function readJson(req, cb) {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    try {
      cb(null, JSON.parse(body || '{}'));
    } catch (err) {
      cb(err);
    }
  });
}

http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/preview') {
    res.writeHead(404);
    return res.end();
  }
  readJson(req, (err, payload) => {
    if (err) {
      res.writeHead(400);
      return res.end('invalid json');
    }
    try {
      const html = render(String(payload.template || ''), payload.data || SAMPLE);
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(html);
    } catch (e) {
      res.writeHead(422, { 'Content-Type': 'text/plain' });
      res.end(e.message);
    }
  });
}).listen(process.env.PORT || 3333);
