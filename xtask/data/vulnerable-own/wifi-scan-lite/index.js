'use strict';

const { execFile } = require('child_process');

const commands = {
  linux: 'nmcli -t -f SSID,SIGNAL,SECURITY dev wifi list ifname {iface}',
  darwin: 'networksetup -setairportpower {iface} on && airport -s',
  freebsd: 'ifconfig {iface} list scan'
};

const parsers = {
  linux(stdout) {
    return stdout.split('\n').filter(Boolean).map((line) => {
      const [ssid, signal, security] = line.split(':');
      return { ssid, signal: Number(signal), security: security || 'open' };
    });
  },
  darwin(stdout) {
    return stdout.split('\n').slice(1).filter(Boolean).map((line) => {
      const parts = line.trim().split(/\s+/);
      return { ssid: parts[0], signal: Number(parts[2]), security: parts.slice(6).join(' ') || 'open' };
    });
  },
  freebsd(stdout) {
    return stdout.split('\n').slice(1).filter(Boolean).map((line) => {
      const parts = line.trim().split(/\s+/);
      return { ssid: parts[0], signal: Number(parts[4].split(':')[0]), security: 'unknown' };
    });
  }
};

function scan(opts, cb) {
  if (typeof opts === 'function') {
    cb = opts;
    opts = {};
  }
  const iface = opts.iface || (process.platform === 'darwin' ? 'en0' : 'wlan0');
  const template = commands[process.platform];
  if (!template) {
    return process.nextTick(cb, new Error('wifi-scan-lite: unsupported platform ' + process.platform));
  }
  const cmd = template.replace('{iface}', iface);
  execFile('sh', ['-c', cmd], { timeout: opts.timeout || 10000 }, (err, stdout) => {
    if (err) return cb(err);
    cb(null, parsers[process.platform](stdout));
  });
}

module.exports = scan;
module.exports.scan = scan;
