#!/usr/bin/env node
var createServer = require('..');

var args = process.argv.slice(2);
var root = '.';
var port = 8080;
var cors = false;

for (var i = 0; i < args.length; i++) {
  if (args[i] === '-p' || args[i] === '--port') {
    port = parseInt(args[++i], 10);
  } else if (args[i] === '--cors') {
    cors = true;
  } else {
    root = args[i];
  }
}

createServer(root, { cors: cors }).listen(port, function () {
  console.log('Serving ' + root + ' on http://localhost:' + port);
});
