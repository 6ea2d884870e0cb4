import { exec } from 'node:child_process';
import { platform } from 'node:os';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function humanize(bytes) {
  let i = 0;
  let n = bytes;
  while (n >= 1024 && i < UNITS.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${UNITS[i]}`;
}

function buildCommand(dir, { apparent, blockSize, excludes }) {
  if (platform() === 'darwin') {
    return `du -sk "${dir}"`;
  }
  const flags = ['-s', apparent ? '--apparent-size' : '', `-B${blockSize}`]
    .concat(excludes.map((e) => `--exclude=${e}`))
    .filter(Boolean)
    .join(' ');
  return `du ${flags} "${dir}"`;
}

/**
 * Size of `dir` in bytes.
 */
export function diskUsage(dir, { apparent = false, blockSize = 1024, excludes = [] } = {}) {
  const cmd = buildCommand(dir, { apparent, blockSize, excludes });
  const unit = platform() === 'darwin' ? 1024 : blockSize;

  return new Promise((resolve, reject) => {
    exec(cmd, { encoding: 'utf8' }, (error, stdout) => {
      if (error) {
        reject(error);
        return;
      }
      const blocks = parseInt(stdout.split(/\s+/)[0], 10);
      resolve(blocks * unit);
    });
  });
}

export default diskUsage;
