'use strict';

const { exec } = require('child_process');

/**
 * Prepare an ffprobe call. Returns a function that runs it.
 *
 *   const run = probe({ file: 'movie.mp4' });
 *   run((err, seconds) => {});
 */
function probe({ file, bin = 'ffprobe', entries = 'format=duration', timeout = 15000 } = {}) {
  if (!file) throw new TypeError('video-duration: `file` is required');

  const cmd = bin + ' -v error -show_entries ' + entries +
    ' -of default=noprint_wrappers=1:nokey=1 ' + file;

  return function run(callback) {
    exec(cmd, { timeout }, (err, stdout) => {
      if (err) return callback(err);
      const value = parseFloat(String(stdout).trim());
      if (Number.isNaN(value)) {
        return callback(new Error('could not read duration of ' + file));
      }
      callback(null, value);
    });
  };
}

function duration(file, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = {};
  }
  const run = probe(Object.assign({}, options, { file }));
  if (callback) return run(callback);
  return new Promise((resolve, reject) => {
    run((err, seconds) => (err ? reject(err) : resolve(seconds)));
  });
}

module.exports = duration;
module.exports.probe = probe;
