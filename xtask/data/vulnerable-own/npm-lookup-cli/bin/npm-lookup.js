#!/usr/bin/env node
'use strict';

const lookup = require('../lib/lookup');

const argv = process.argv.slice(2);
const opts = {};
const positional = [];

for (let i = 0; i < argv.length; i++) {
  const arg = argv[i];
  if (arg === '-r' || arg === '--registry') {
    opts.registry = argv[++i];
  } else if (arg === '-h' || arg === '--help') {
    console.log('usage: npm-lookup <package> [field] [--registry <url>]');
    process.exit(0);
  } else {
    positional.push(arg);
  }
}

if (!positional.length) {
  console.error('npm-lookup: missing package name');
  process.exit(1);
}

lookup(positional[0], positional[1], opts, function (err, value) {
  if (err) {
    console.error(err.message);
    process.exit(1);
  }
  console.log(typeof value === 'string' ? value : JSON.stringify(value, null, 2));
});
