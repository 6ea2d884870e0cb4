#!/usr/bin/env node
import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { startPreview } from "./preview.mjs";

const running = new Map();
const server = new McpServer({ name: "site-preview", version: "0.3.5" });

function pages(dir, base = dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".") || name === "node_modules") continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) pages(p, base, out);
    else if (name.endsWith(".html")) out.push(relative(base, p));
  }
  return out;
}

server.registerTool(
  "start_preview",
  {
    title: "Start preview server",
    description: "Serve a static site folder on localhost so it can be opened in a browser.",
    inputSchema: { dir: z.string(), port: z.number().int().min(1024).max(65535).default(4173) },
  },
  async ({ dir, port }) => {
    const root = resolve(dir);
    if (running.has(port)) return { content: [{ type: "text", text: `Port ${port} already serving ${running.get(port).root}` }] };
    const srv = await startPreview(root, port);
    running.set(port, { root, srv });
    return { content: [{ type: "text", text: `Serving ${root} at http://localhost:${port}/` }] };
  }
);

server.registerTool(
  "stop_preview",
  { title: "Stop preview server", description: "Stop a running preview server.", inputSchema: { port: z.number().int() } },
  async ({ port }) => {
    const entry = running.get(port);
    if (!entry) return { content: [{ type: "text", text: `Nothing running on ${port}` }] };
    await new Promise((r) => entry.srv.close(r));
    running.delete(port);
    return { content: [{ type: "text", text: `Stopped preview on ${port}` }] };
  }
);

server.registerTool(
  "list_pages",
  { title: "List pages", description: "List the HTML pages of a site folder.", inputSchema: { dir: z.string() } },
  async ({ dir }) => ({ content: [{ type: "text", text: pages(resolve(dir)).join("\n") || "(no html files)" }] })
);

await server.connect(new StdioServerTransport());
