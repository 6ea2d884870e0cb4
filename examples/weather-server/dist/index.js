#!/usr/bin/env node
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const API = process.env.WEATHER_API_BASE ?? "https://api.weather.example";
const KEY = process.env.WEATHER_API_KEY;

const server = new McpServer({ name: "weather-server", version: "0.4.0" });

server.tool("forecast", "The forecast for a city", { city: z.string() }, async ({ city }) => {
  const res = await fetch(`${API}/forecast?city=${encodeURIComponent(city)}&key=${KEY}`);
  return { content: [{ type: "text", text: await res.text() }] };
});

server.tool("fetch_station", "Raw data from a weather station", { url: z.string() }, async ({ url }) => {
  const res = await fetch(url);
  return { content: [{ type: "text", text: await res.text() }] };
});

await server.connect(new StdioServerTransport());
