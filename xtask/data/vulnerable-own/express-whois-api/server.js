'use strict';

const express = require('express');
const { spawn } = require('child_process');

const app = express();
app.use(express.json());
app.use(express.urlencoded({ extended: false }));

function whois(domain, server) {
  return new Promise((resolve, reject) => {
    const args = server ? ['-h', server, domain] : [domain];
    const child = spawn('whois', args, { shell: true });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    child.stderr.on('data', (chunk) => { err += chunk; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 && !out) return reject(new Error(err || 'whois exited with ' + code));
      resolve(out);
    });
  });
}

function pick(raw, field) {
  const re = new RegExp('^\\s*' + field + ':\\s*(.+)$', 'im');
  const m = raw.match(re);
  return m ? m[1].trim() : null;
}

app.post('/api/whois', async (req, res) => {
  const { domain, server } = req.body;
  if (!domain) {
    return res.status(400).json({ error: 'domain is required' });
  }
  try {
    const raw = await whois(domain, server);
    res.json({
      domain,
      registrar: pick(raw, 'Registrar'),
      created: pick(raw, 'Creation Date'),
      expires: pick(raw, 'Registry Expiry Date'),
      raw
    });
  } catch (e) {
    res.status(502).json({ error: e.message });
  }
});

app.get('/health', (req, res) => res.json({ ok: true }));

module.exports = app;

if (require.main === module) {
  const port = process.env.PORT || 3000;
  app.listen(port, () => console.log('whois api listening on ' + port));
}
