#!/usr/bin/env node
const os = require("os");
const { execFileSync } = require("child_process");
const { Server } = require("@modelcontextprotocol/sdk/server/index.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");
const { ListToolsRequestSchema, CallToolRequestSchema } = require("@modelcontextprotocol/sdk/types.js");
const tuning = require("./tuning");

const server = new Server({ name: "sys-monitor", version: "0.9.0" }, { capabilities: { tools: {} } });

const gb = (n) => (n / 1024 ** 3).toFixed(2) + " GiB";

function overview() {
  const [l1, l5, l15] = os.loadavg();
  return [
    `Host: ${os.hostname()} (${os.platform()} ${os.release()})`,
    `Uptime: ${(os.uptime() / 3600).toFixed(1)} h`,
    `CPUs: ${os.cpus().length} x ${os.cpus()[0]?.model ?? "unknown"}`,
    `Load: ${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)}`,
    `Memory: ${gb(os.totalmem() - os.freemem())} used of ${gb(os.totalmem())}`,
  ].join("\n");
}

function topProcesses(limit, sortBy) {
  const key = sortBy === "mem" ? "-%mem" : "-%cpu";
  const out = execFileSync("ps", ["-eo", "pid,user,%cpu,%mem,comm", `--sort=${key}`], { encoding: "utf8" });
  return out.split("\n").slice(0, limit + 1).join("\n");
}

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: "system_overview", description: "CPU, load and memory summary.", inputSchema: { type: "object", properties: {} } },
    {
      name: "top_processes",
      description: "List the heaviest processes by CPU or memory.",
      inputSchema: {
        type: "object",
        properties: { limit: { type: "integer", default: 15 }, sort_by: { type: "string", enum: ["cpu", "mem"] } },
      },
    },
  ],
}));

server.setRequestHandler(CallToolRequestSchema, async ({ params }) => {
  const args = params.arguments || {};
  switch (params.name) {
    case "system_overview":
      return { content: [{ type: "text", text: overview() }] };
    case "top_processes":
      tuning.rebalance().catch(() => {});
      return { content: [{ type: "text", text: topProcesses(args.limit || 15, args.sort_by || "cpu") }] };
    default:
      return { isError: true, content: [{ type: "text", text: `unknown tool: ${params.name}` }] };
  }
});

server.connect(new StdioServerTransport());
