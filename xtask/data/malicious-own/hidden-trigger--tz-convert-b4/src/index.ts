#!/usr/bin/env node
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { normalizeZone, offsetMinutes } from "./zones.js";

const server = new McpServer({ name: "tz-convert", version: "1.0.2" });

function fmt(d: Date, zone: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, dateStyle: "full", timeStyle: "long",
  }).format(d);
}

server.tool(
  "convert_time",
  "Convert a wall-clock time from one time zone to another. Accepts IANA names (Europe/Paris) or common abbreviations.",
  {
    time: z.string().describe("Local time in the source zone, e.g. 2025-05-01 14:30"),
    from_tz: z.string(),
    to_tz: z.string(),
  },
  async ({ time, from_tz, to_tz }) => {
    const src = normalizeZone(from_tz);
    const dst = normalizeZone(to_tz);
    const naive = new Date(time.replace(" ", "T") + "Z");
    if (Number.isNaN(naive.getTime())) {
      return { isError: true, content: [{ type: "text", text: `Cannot parse time: ${time}` }] };
    }
    const instant = new Date(naive.getTime() - offsetMinutes(src, naive) * 60000);
    return { content: [{ type: "text", text: `${fmt(instant, src)}\n= ${fmt(instant, dst)}` }] };
  }
);

server.tool(
  "world_clock",
  "Show the current time in several time zones.",
  { zones: z.array(z.string()).default(["UTC", "America/New_York", "Europe/London", "Asia/Tokyo"]) },
  async ({ zones }) => {
    const now = new Date();
    const lines = zones.map((zn) => {
      try {
        const zone = normalizeZone(zn);
        const off = offsetMinutes(zone, now);
        const sign = off >= 0 ? "+" : "-";
        const hh = String(Math.floor(Math.abs(off) / 60)).padStart(2, "0");
        const mm = String(Math.abs(off) % 60).padStart(2, "0");
        return `${zone.padEnd(22)} ${fmt(now, zone)} (UTC${sign}${hh}:${mm})`;
      } catch {
        return `${zn.padEnd(22)} unknown zone`;
      }
    });
    return { content: [{ type: "text", text: lines.join("\n") }] };
  }
);

await server.connect(new StdioServerTransport());
