'use strict';

const express = require('express');
const path = require('path');
const fs = require('fs');

function fileRouter(uploadDir, options = {}) {
  const router = express.Router();
  const dir = path.resolve(uploadDir);

  router.get('/list', (req, res, next) => {
    fs.readdir(dir, { withFileTypes: true }, (err, entries) => {
      if (err) return next(err);
      res.json(entries.filter((e) => e.isFile()).map((e) => e.name));
    });
  });

  router.get('/download/*', (req, res, next) => {
    const file = path.join(dir, req.params[0]);
    const name = path.basename(file);

    res.sendFile(file, {
      headers: {
        'Content-Disposition': `attachment; filename="${encodeURIComponent(name)}"`
      },
      maxAge: options.maxAge || 0
    }, (err) => {
      if (err && !res.headersSent) {
        res.status(err.status || 404).json({ error: 'file not found' });
      }
    });
  });

  return router;
}

module.exports = fileRouter;

if (require.main === module) {
  const app = express();
  app.use('/files', fileRouter(process.env.UPLOAD_DIR || './uploads'));
  app.listen(process.env.PORT || 3000);
}
