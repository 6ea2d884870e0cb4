"use strict";
var __awaiter = (this && this.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.isReachable = exports.ping = void 0;
const child_process_1 = require("child_process");
const util_1 = require("util");
const os_1 = require("os");
const DEFAULTS = {
    count: 3,
    timeout: 10,
    ipv6: false
};
function countFlag() {
    return (0, os_1.platform)() === 'win32' ? '-n' : '-c';
}
function parseOutput(output) {
    const times = [];
    const re = /time[=<]([\d.]+)\s*ms/g;
    let match;
    while ((match = re.exec(output)) !== null) {
        times.push(parseFloat(match[1]));
    }
    const avg = times.length ? times.reduce((a, b) => a + b, 0) / times.length : NaN;
    return { alive: times.length > 0, times, avg };
}
function ping(host, options = {}) {
    return __awaiter(this, void 0, void 0, function* () {
        const opts = Object.assign(Object.assign({}, DEFAULTS), options);
        const bin = opts.ipv6 ? 'ping6' : 'ping';
        const cmd = (0, util_1.format)('%s %s %d %s', bin, countFlag(), opts.count, host);
        try {
            const output = (0, child_process_1.execSync)(cmd, {
                encoding: 'utf8',
                timeout: opts.timeout * 1000
            });
            return Object.assign({ host }, parseOutput(output));
        }
        catch (err) {
            return { host, alive: false, times: [], avg: NaN };
        }
    });
}
exports.ping = ping;
function isReachable(host, options) {
    return __awaiter(this, void 0, void 0, function* () {
        const result = yield ping(host, Object.assign({ count: 1 }, options));
        return result.alive;
    });
}
exports.isReachable = isReachable;
