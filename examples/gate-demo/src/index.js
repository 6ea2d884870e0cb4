#!/usr/bin/env node
// Example MCP server: shows the last commits of a branch.
// DELIBERATELY VULNERABLE: the branch name is pasted into a shell command (command injection).
// The fixed version is src/index.fixed.js.txt; see README.md.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { exec } from "node:child_process";
import { z } from "zod";

const server = new McpServer({ name: "git-log-server", version: "1.0.0" });

server.tool(
  "git_log",
  "Show the last ten commits of a branch of the current repository.",
  { branch: z.string().describe("Branch name") },
  async ({ branch }) => {
    const output = await new Promise((resolve, reject) => {
      exec(`git log --oneline -n 10 ${branch}`, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      );
    });
    return { content: [{ type: "text", text: output }] };
  },
);

await server.connect(new StdioServerTransport());
