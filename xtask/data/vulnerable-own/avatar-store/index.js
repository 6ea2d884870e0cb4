'use strict';

const fsp = require('fs/promises');
const path = require('path');

const MAX_SIZE = 2 * 1024 * 1024;

// drop any leading "../" and slashes so names stay inside the user folder
function cleanName(name) {
  return String(name).replace('../', '').replace(/^\/+/, '');
}

async function saveAvatar(dir, userId, filename, data) {
  if (!data || !data.length) throw new Error('empty upload');
  if (data.length > MAX_SIZE) throw new Error('avatar too large');

  const name = cleanName(filename);
  const target = path.join(dir, String(userId), name);

  await fsp.mkdir(path.dirname(target), { recursive: true });
  await fsp.writeFile(target, data);
  return target;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_SIZE) {
        reject(new Error('avatar too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * app.put('/users/:id/avatar', avatarStore.middleware('./data/avatars'))
 * The client sends the raw image as body and its name in X-File-Name.
 */
function middleware(dir) {
  return async (req, res, next) => {
    try {
      const data = await readBody(req);
      const name = req.headers['x-file-name'] || 'avatar.png';
      const saved = await saveAvatar(dir, req.params.id, name, data);
      res.status(201).json({ file: path.basename(saved) });
    } catch (err) {
      next(err);
    }
  };
}

module.exports = { saveAvatar, middleware, cleanName };
