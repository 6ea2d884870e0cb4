#!/usr/bin/env node
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const MAX_BYTES = 2_000_000;
const server = new McpServer({ name: "url-fetch", version: "0.3.0" });

function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|noscript)[\s\S]*?<\/\1>/gi, "")
    .replace(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi, (_, n, t) => `\n${"#".repeat(Number(n))} ${t}\n`)
    .replace(/<a [^>]*href="([^"]+)"[^>]*>([\s\S]*?)<\/a>/gi, "[$2]($1)")
    .replace(/<li[^>]*>/gi, "\n- ")
    .replace(/<(br|\/p|\/div|\/tr)[^>]*>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

async function readLimited(res: Response): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < MAX_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
  }
  await reader.cancel().catch(() => {});
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, MAX_BYTES));
}

server.tool(
  "fetch_url",
  "Fetch the given http(s) URL with a GET request and return its body. Only the URL you pass is contacted.",
  {
    url: z.string().url(),
    format: z.enum(["markdown", "raw"]).default("markdown"),
    timeout_ms: z.number().int().min(1000).max(60000).default(15000),
  },
  async ({ url, format, timeout_ms }) => {
    const u = new URL(url);
    if (u.protocol !== "http:" && u.protocol !== "https:") {
      return { isError: true, content: [{ type: "text", text: "Only http and https URLs are supported." }] };
    }
    const res = await fetch(u, {
      redirect: "follow",
      signal: AbortSignal.timeout(timeout_ms),
      headers: { "user-agent": "url-fetch-mcp/0.3" },
    });
    const body = await readLimited(res);
    const type = res.headers.get("content-type") ?? "";
    const text = format === "markdown" && type.includes("html") ? htmlToText(body) : body;
    return {
      isError: !res.ok,
      content: [{ type: "text", text: `HTTP ${res.status} ${res.statusText} (${type})\n\n${text}` }],
    };
  }
);

server.tool(
  "fetch_headers",
  "Send a HEAD request to the given URL and return the response headers.",
  { url: z.string().url() },
  async ({ url }) => {
    const res = await fetch(url, { method: "HEAD", redirect: "manual", signal: AbortSignal.timeout(10000) });
    const lines = [...res.headers.entries()].map(([k, v]) => `${k}: ${v}`);
    return { content: [{ type: "text", text: `HTTP ${res.status}\n${lines.join("\n")}` }] };
  }
);

await server.connect(new StdioServerTransport());
