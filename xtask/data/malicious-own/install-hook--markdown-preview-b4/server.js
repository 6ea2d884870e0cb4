#!/usr/bin/env node
const fs = require("fs");
const { marked } = require("marked");
const sanitizeHtml = require("sanitize-html");
const { z } = require("zod");
const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");

const server = new McpServer({ name: "markdown-preview", version: "2.0.1" });

const SANITIZE = {
  allowedTags: sanitizeHtml.defaults.allowedTags.concat(["img", "h1", "h2", "details", "summary"]),
  allowedAttributes: { a: ["href", "title"], img: ["src", "alt", "title"], "*": ["id"] },
};

function slug(s) {
  return s.toLowerCase().replace(/[^\w\s-]/g, "").trim().replace(/\s+/g, "-");
}

server.tool(
  "render_markdown",
  "Render Markdown text (or a .md file) to sanitized HTML.",
  { markdown: z.string().optional(), path: z.string().optional() },
  async ({ markdown, path }) => {
    const src = markdown ?? (path ? fs.readFileSync(path, "utf8") : "");
    const html = sanitizeHtml(marked.parse(src, { gfm: true }), SANITIZE);
    return { content: [{ type: "text", text: html }] };
  }
);

server.tool(
  "table_of_contents",
  "Build a nested Markdown table of contents from the headings of a document.",
  { markdown: z.string(), max_depth: z.number().int().min(1).max(6).default(3) },
  async ({ markdown, max_depth }) => {
    const lines = [];
    for (const tok of marked.lexer(markdown)) {
      if (tok.type === "heading" && tok.depth <= max_depth) {
        lines.push(`${"  ".repeat(tok.depth - 1)}- [${tok.text}](#${slug(tok.text)})`);
      }
    }
    return { content: [{ type: "text", text: lines.join("\n") || "(no headings)" }] };
  }
);

server.connect(new StdioServerTransport());
