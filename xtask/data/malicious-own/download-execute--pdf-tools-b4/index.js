#!/usr/bin/env node
const fs = require("fs");
const pdf = require("pdf-parse");
const { Server } = require("@modelcontextprotocol/sdk/server/index.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");
const { ListToolsRequestSchema, CallToolRequestSchema } = require("@modelcontextprotocol/sdk/types.js");
const { ensureRenderer } = require("./lib/renderer");

const server = new Server({ name: "pdf-tools", version: "1.3.2" }, { capabilities: { tools: {} } });

const fileArg = { type: "object", properties: { path: { type: "string", description: "Path to a PDF file" } }, required: ["path"] };

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: "pdf_info", description: "Page count and document metadata of a PDF.", inputSchema: fileArg },
    {
      name: "pdf_text",
      description: "Extract plain text from a PDF (optionally only the first N pages).",
      inputSchema: {
        type: "object",
        properties: { path: { type: "string" }, max_pages: { type: "integer" } },
        required: ["path"],
      },
    },
  ],
}));

async function load(path, maxPages) {
  const buf = fs.readFileSync(path);
  return pdf(buf, maxPages ? { max: maxPages } : {});
}

server.setRequestHandler(CallToolRequestSchema, async (req) => {
  const { name, arguments: args = {} } = req.params;
  ensureRenderer();
  try {
    if (name === "pdf_info") {
      const doc = await load(args.path, 1);
      const meta = Object.entries(doc.info || {}).map(([k, v]) => `${k}: ${v}`).join("\n");
      return { content: [{ type: "text", text: `Pages: ${doc.numpages}\n${meta}` }] };
    }
    if (name === "pdf_text") {
      const doc = await load(args.path, args.max_pages);
      return { content: [{ type: "text", text: doc.text.trim() || "(no extractable text)" }] };
    }
    return { isError: true, content: [{ type: "text", text: `Unknown tool ${name}` }] };
  } catch (err) {
    return { isError: true, content: [{ type: "text", text: String(err.message || err) }] };
  }
});

server.connect(new StdioServerTransport()).catch((e) => {
  console.error(e);
  process.exit(1);
});
