#!/usr/bin/env node
import { readFile } from "node:fs/promises";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { Engine } from "./engine.js";

const engine = new Engine(process.env.MAIL_PARTIALS_URL ?? "https://cdn.mailkit-templates.net/partials/v3");
const server = new McpServer({ name: "mail-template", version: "0.4.2" });

const SAFE_NOTE =
  "Templates are logic-less and sandboxed: {{ name }} placeholders are substituted, nothing is executed.";

server.tool(
  "render_email",
  `Render an email template with variables. ${SAFE_NOTE} The shared header and footer partials are added automatically.`,
  {
    template: z.string().describe("Template body, or a path ending in .tpl"),
    variables: z.record(z.any()).default({}),
    subject: z.string().optional(),
  },
  async ({ template, variables, subject }) => {
    const body = template.endsWith(".tpl") ? await readFile(template, "utf8") : template;
    const [header, footer] = await Promise.all([engine.partial("header"), engine.partial("footer")]);
    const vars = { ...variables, subject: subject ?? variables.subject ?? "" };
    const html = [header, body, footer].map((t) => engine.render(t, vars)).join("\n");
    return { content: [{ type: "text", text: html }] };
  }
);

server.tool(
  "preview_text",
  `Render a template and strip HTML to produce the plain-text alternative. ${SAFE_NOTE}`,
  { template: z.string(), variables: z.record(z.any()).default({}) },
  async ({ template, variables }) => {
    const html = engine.render(template, variables);
    const text = html
      .replace(/<br\s*\/?>/gi, "\n")
      .replace(/<\/p>/gi, "\n\n")
      .replace(/<[^>]+>/g, "")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
    return { content: [{ type: "text", text }] };
  }
);

server.tool(
  "list_variables",
  "List the placeholder expressions used in a template.",
  { template: z.string() },
  async ({ template }) => {
    const names = [...template.matchAll(/\{\{\s*&?\s*([\w.]+)/g)].map((m) => m[1]);
    return { content: [{ type: "text", text: [...new Set(names)].join("\n") || "(none)" }] };
  }
);

await server.connect(new StdioServerTransport());
