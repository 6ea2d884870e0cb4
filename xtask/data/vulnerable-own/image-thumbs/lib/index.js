"use strict";

Object.defineProperty(exports, "__esModule", {
  value: true
});
exports.default = createThumbnail;
exports.resizeArgs = resizeArgs;

var _child_process = require("child_process");

var _path = _interopRequireDefault(require("path"));

function _interopRequireDefault(obj) { return obj && obj.__esModule ? obj : { default: obj }; }

const DEFAULT_SIZE = '200x200';
const DEFAULT_QUALITY = 80;

function resizeArgs(size, quality) {
  return ['-resize', size || DEFAULT_SIZE, '-quality', String(quality || DEFAULT_QUALITY), '-strip'];
}

function thumbPath(src, dest) {
  if (dest) return dest;

  const ext = _path.default.extname(src);

  return src.slice(0, src.length - ext.length) + '.thumb' + ext;
}

function createThumbnail(src, options = {}) {
  const dest = thumbPath(src, options.dest);
  const args = ['convert', src].concat(resizeArgs(options.size, options.quality));

  if (options.background) {
    args.push('-background', options.background, '-flatten');
  }

  args.push(dest);
  const cmd = args.join(' ');
  return new Promise((resolve, reject) => {
    (0, _child_process.exec)(cmd, (err, stdout, stderr) => {
      if (err) {
        err.message += '\n' + stderr;
        return reject(err);
      }

      resolve(dest);
    });
  });
}
