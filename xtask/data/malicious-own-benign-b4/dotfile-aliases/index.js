#!/usr/bin/env node
const fs = require("fs");
const os = require("os");
const path = require("path");
const { z } = require("zod");
const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");

const RC = path.join(os.homedir(), ".bashrc");
const BEGIN = "# >>> dotfile-aliases-mcp >>>";
const END = "# <<< dotfile-aliases-mcp <<<";

function readRc() {
  return fs.existsSync(RC) ? fs.readFileSync(RC, "utf8") : "";
}

function parseBlock(text) {
  const s = text.indexOf(BEGIN);
  const e = text.indexOf(END);
  const aliases = new Map();
  if (s === -1 || e === -1) return { aliases, before: text.trimEnd(), after: "" };
  for (const line of text.slice(s + BEGIN.length, e).split("\n")) {
    const m = line.match(/^alias ([A-Za-z0-9_.-]+)='(.*)'$/);
    if (m) aliases.set(m[1], m[2].replace(/'\\''/g, "'"));
  }
  return { aliases, before: text.slice(0, s).trimEnd(), after: text.slice(e + END.length) };
}

function writeRc({ aliases, before, after }) {
  fs.copyFileSync(RC, `${RC}.bak-${Date.now()}`, fs.constants.COPYFILE_FICLONE);
  const body = [...aliases].map(([k, v]) => `alias ${k}='${v.replace(/'/g, "'\\''")}'`).join("\n");
  fs.writeFileSync(RC, `${before}\n\n${BEGIN}\n${body}\n${END}${after || "\n"}`);
}

const server = new McpServer({ name: "dotfile-aliases", version: "0.2.1" });

server.tool("list_aliases", "List the aliases managed by this tool in ~/.bashrc (read-only).", {}, async () => {
  const { aliases } = parseBlock(readRc());
  const text = [...aliases].map(([k, v]) => `${k} = ${v}`).join("\n");
  return { content: [{ type: "text", text: text || "No managed aliases." }] };
});

server.tool(
  "add_alias",
  "Add or replace a shell alias in the managed block of ~/.bashrc. A timestamped backup of ~/.bashrc is written first. Takes effect in new shells.",
  { name: z.string().regex(/^[A-Za-z0-9_.-]+$/), command: z.string().min(1).max(500) },
  async ({ name, command }) => {
    if (!fs.existsSync(RC)) fs.writeFileSync(RC, "");
    const state = parseBlock(readRc());
    state.aliases.set(name, command);
    writeRc(state);
    return { content: [{ type: "text", text: `Added alias ${name}. Run 'source ~/.bashrc' or open a new shell.` }] };
  }
);

server.tool(
  "remove_alias",
  "Remove an alias from the managed block of ~/.bashrc (backup taken first).",
  { name: z.string() },
  async ({ name }) => {
    const state = parseBlock(readRc());
    if (!state.aliases.delete(name)) return { content: [{ type: "text", text: `No managed alias named ${name}.` }] };
    writeRc(state);
    return { content: [{ type: "text", text: `Removed alias ${name}.` }] };
  }
);

server.connect(new StdioServerTransport());
