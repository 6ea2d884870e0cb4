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
exports.createDocsServer = void 0;
const http_1 = require("http");
const path_1 = require("path");
const fs_1 = require("fs");
const TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.json': 'application/json',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.woff2': 'font/woff2'
};
function resolveFile(root, urlPath) {
    return __awaiter(this, void 0, void 0, function* () {
        let file = (0, path_1.join)(root, urlPath);
        const info = yield fs_1.promises.stat(file);
        if (info.isDirectory()) {
            file = (0, path_1.join)(file, 'index.html');
        }
        return file;
    });
}
function createDocsServer(options) {
    const root = (0, path_1.resolve)(options.root);
    const log = options.quiet ? () => undefined : console.log;
    return (0, http_1.createServer)((req, res) => __awaiter(this, void 0, void 0, function* () {
        const urlPath = decodeURI((req.url || '/').split('?')[0]);
        try {
            const file = yield resolveFile(root, urlPath);
            const body = yield fs_1.promises.readFile(file);
            res.writeHead(200, {
                'Content-Type': TYPES[(0, path_1.extname)(file)] || 'application/octet-stream',
                'Content-Length': body.length
            });
            res.end(body);
            log(`200 ${urlPath}`);
        }
        catch (err) {
            res.writeHead(404, { 'Content-Type': 'text/plain' });
            res.end('Not found');
            log(`404 ${urlPath}`);
        }
    }));
}
exports.createDocsServer = createDocsServer;
