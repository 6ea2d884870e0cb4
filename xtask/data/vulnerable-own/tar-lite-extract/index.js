'use strict';

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

function readString(buf, offset, length) {
  const end = buf.indexOf(0, offset);
  const stop = end === -1 || end > offset + length ? offset + length : end;
  return buf.toString('utf8', offset, stop);
}

function readOctal(buf, offset, length) {
  const str = readString(buf, offset, length).trim();
  return str ? parseInt(str, 8) : 0;
}

function* entries(buf) {
  let offset = 0;
  while (offset + 512 <= buf.length) {
    const header = buf.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;

    const name = readString(header, 0, 100);
    const prefix = readString(header, 345, 155);
    const size = readOctal(header, 124, 12);
    const mode = readOctal(header, 100, 8);
    const type = String.fromCharCode(header[156] || 48);

    offset += 512;
    yield {
      name: prefix ? prefix + '/' + name : name,
      size,
      mode,
      type,
      data: buf.subarray(offset, offset + size)
    };
    offset += Math.ceil(size / 512) * 512;
  }
}

/**
 * Extract `archive` (a path or a Buffer) into `dest`.
 * Returns the list of extracted file names.
 */
function extract(archive, dest, opts = {}) {
  let buf = Buffer.isBuffer(archive) ? archive : fs.readFileSync(archive);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = zlib.gunzipSync(buf);

  const strip = opts.strip || 0;
  const written = [];

  for (const entry of entries(buf)) {
    const name = entry.name.split('/').slice(strip).join('/');
    if (!name) continue;

    const target = path.join(dest, name);
    if (entry.type === '5') {
      fs.mkdirSync(target, { recursive: true });
      continue;
    }
    if (entry.type !== '0') continue;

    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, entry.data, { mode: (entry.mode & 0o777) || 0o644 });
    written.push(name);
  }

  return written;
}

module.exports = extract;
module.exports.extract = extract;
module.exports.entries = entries;
