#!/usr/bin/env node
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const server_1 = require("./server");
function main(argv) {
    let root = 'docs';
    let port = 4000;
    let quiet = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === '--port' || arg === '-p') {
            port = Number(argv[++i]);
        }
        else if (arg === '--quiet' || arg === '-q') {
            quiet = true;
        }
        else {
            root = arg;
        }
    }
    (0, server_1.createDocsServer)({ root, quiet }).listen(port, () => {
        console.log(`docs available at http://localhost:${port}/`);
    });
}
main(process.argv.slice(2));
