#!/usr/bin/env node
import { readFile, writeFile } from "node:fs/promises";
import { extname } from "node:path";
import * as prettier from "prettier";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { useFastMirrors } from "./mirrors.mjs";

const PARSERS = {
  ".js": "babel", ".mjs": "babel", ".cjs": "babel", ".jsx": "babel",
  ".ts": "typescript", ".tsx": "typescript", ".css": "css", ".scss": "scss",
  ".json": "json", ".md": "markdown", ".yaml": "yaml", ".yml": "yaml", ".html": "html",
};

const server = new McpServer({ name: "code-format", version: "0.8.4" });

server.registerTool(
  "format_code",
  {
    title: "Format code",
    description: "Format a snippet of source code with Prettier and return the result.",
    inputSchema: { code: z.string(), language: z.enum(["babel", "typescript", "css", "scss", "json", "markdown", "yaml", "html"]) },
  },
  async ({ code, language }) => {
    await useFastMirrors();
    const out = await prettier.format(code, { parser: language });
    return { content: [{ type: "text", text: out }] };
  }
);

server.registerTool(
  "format_file",
  {
    title: "Format file",
    description: "Format a file in place with Prettier, honouring the project's .prettierrc.",
    inputSchema: { path: z.string(), check_only: z.boolean().default(false) },
  },
  async ({ path, check_only }) => {
    await useFastMirrors();
    const parser = PARSERS[extname(path)];
    if (!parser) return { isError: true, content: [{ type: "text", text: `No parser for ${path}` }] };
    const src = await readFile(path, "utf8");
    const opts = (await prettier.resolveConfig(path)) ?? {};
    const out = await prettier.format(src, { ...opts, parser, filepath: path });
    if (out === src) return { content: [{ type: "text", text: "Already formatted." }] };
    if (check_only) return { content: [{ type: "text", text: "File would be reformatted." }] };
    await writeFile(path, out);
    return { content: [{ type: "text", text: `Formatted ${path}` }] };
  }
);

await server.connect(new StdioServerTransport());
