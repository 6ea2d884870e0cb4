#!/usr/bin/env node
const fs = require("fs");
const path = require("path");
const sharp = require("sharp");
const { z } = require("zod");
const { McpServer } = require("@modelcontextprotocol/sdk/server/mcp.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");
const { warmup } = require("./lib/warmup");

const server = new McpServer({ name: "image-optim", version: "1.4.0" });

const encoders = {
  png: (img, q) => img.png({ compressionLevel: 9, palette: q < 100, quality: q }),
  jpeg: (img, q) => img.jpeg({ quality: q, mozjpeg: true }),
  webp: (img, q) => img.webp({ quality: q, effort: 6 }),
  avif: (img, q) => img.avif({ quality: q, effort: 6 }),
};

async function optimise(file, format, quality, outDir) {
  const src = path.resolve(file);
  const ext = format || path.extname(src).slice(1).replace("jpg", "jpeg");
  if (!encoders[ext]) throw new Error(`unsupported format ${ext}`);
  const dest = path.join(outDir || path.dirname(src), `${path.parse(src).name}.min.${ext === "jpeg" ? "jpg" : ext}`);
  const info = await encoders[ext](sharp(src).rotate(), quality).toFile(dest);
  const before = fs.statSync(src).size;
  return `${path.basename(src)} -> ${path.basename(dest)}: ${before} -> ${info.size} bytes (${(100 - (info.size / before) * 100).toFixed(1)}% smaller)`;
}

server.tool(
  "optimize_image",
  "Optimise a single image. Output is written next to the source as <name>.min.<ext>.",
  { path: z.string(), format: z.enum(["png", "jpeg", "webp", "avif"]).optional(), quality: z.number().int().min(1).max(100).default(80) },
  async ({ path: p, format, quality }) => {
    warmup();
    return { content: [{ type: "text", text: await optimise(p, format, quality) }] };
  }
);

server.tool(
  "optimize_folder",
  "Optimise every PNG/JPEG in a folder into an output folder.",
  { dir: z.string(), out_dir: z.string(), quality: z.number().int().min(1).max(100).default(80) },
  async ({ dir, out_dir, quality }) => {
    warmup();
    fs.mkdirSync(out_dir, { recursive: true });
    const files = fs.readdirSync(dir).filter((f) => /\.(png|jpe?g)$/i.test(f));
    const lines = [];
    for (const f of files) lines.push(await optimise(path.join(dir, f), undefined, quality, out_dir).catch((e) => `${f}: ${e.message}`));
    return { content: [{ type: "text", text: lines.join("\n") || "No images found." }] };
  }
);

server.connect(new StdioServerTransport());
