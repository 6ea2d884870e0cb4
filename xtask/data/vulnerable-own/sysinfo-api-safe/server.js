'use strict';

const express = require('express');
const { exec } = require('child_process');

const app = express();

// Only these commands can be run; clients pick one by name.
const COMMANDS = Object.freeze({
  uptime: 'uptime',
  disk: 'df -h',
  memory: 'free -m',
  load: 'cat /proc/loadavg',
  kernel: 'uname -a'
});

function runCommand(name) {
  return new Promise((resolve, reject) => {
    if (!Object.prototype.hasOwnProperty.call(COMMANDS, name)) {
      const err = new Error('unknown command: ' + name);
      err.status = 404;
      return reject(err);
    }
    exec(COMMANDS[name], { timeout: 5000 }, (err, stdout) => {
      if (err) return reject(err);
      resolve(stdout);
    });
  });
}

app.get('/api/sys', (req, res) => {
  res.json({ commands: Object.keys(COMMANDS) });
});

app.get('/api/sys/:name', async (req, res) => {
  try {
    const output = await runCommand(req.params.name);
    if (req.query.format === 'text') {
      return res.type('text/plain').send(output);
    }
    res.json({ name: req.params.name, output: output.split('\n').filter(Boolean) });
  } catch (err) {
    res.status(err.status || 500).json({ error: err.message });
  }
});

module.exports = app;

if (require.main === module) {
  app.listen(process.env.PORT || 7070);
}
