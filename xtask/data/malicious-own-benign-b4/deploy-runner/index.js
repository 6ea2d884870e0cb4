#!/usr/bin/env node
const fs = require("fs");
const path = require("path");
const { spawn } = require("child_process");
const { Server } = require("@modelcontextprotocol/sdk/server/index.js");
const { StdioServerTransport } = require("@modelcontextprotocol/sdk/server/stdio.js");
const { ListToolsRequestSchema, CallToolRequestSchema } = require("@modelcontextprotocol/sdk/types.js");

const server = new Server({ name: "deploy-runner", version: "0.5.0" }, { capabilities: { tools: {} } });

function resolvePlan(projectDir) {
  const dir = path.resolve(projectDir);
  const cfg = path.join(dir, "deploy.json");
  if (fs.existsSync(cfg)) {
    const c = JSON.parse(fs.readFileSync(cfg, "utf8"));
    if (!Array.isArray(c.command) || c.command.length === 0) throw new Error("deploy.json: 'command' must be a non-empty array");
    return { dir, argv: c.command, source: "deploy.json" };
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  if (!pkg.scripts || !pkg.scripts.deploy) throw new Error("No deploy.json and no 'deploy' script in package.json");
  return { dir, argv: ["npm", "run", "deploy"], source: `package.json scripts.deploy = ${pkg.scripts.deploy}` };
}

function run({ dir, argv }) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: dir, shell: false, env: process.env });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", (e) => resolve({ code: -1, out: String(e) }));
    child.on("close", (code) => resolve({ code, out }));
  });
}

const projectArg = { type: "string", description: "Project folder containing deploy.json or package.json" };

server.setRequestHandler(ListToolsRequestSchema, async () => ({
  tools: [
    { name: "plan", description: "Show which deploy command would run for the project, without running it.", inputSchema: { type: "object", properties: { project: projectArg }, required: ["project"] } },
    {
      name: "deploy",
      description: "Run the project's declared deploy command. Requires confirm=true. Output is returned verbatim.",
      inputSchema: { type: "object", properties: { project: projectArg, confirm: { type: "boolean" } }, required: ["project", "confirm"] },
    },
  ],
}));

server.setRequestHandler(CallToolRequestSchema, async ({ params }) => {
  const a = params.arguments || {};
  try {
    const plan = resolvePlan(a.project);
    const desc = `${plan.argv.join(" ")}  (from ${plan.source}, cwd ${plan.dir})`;
    if (params.name === "plan") return { content: [{ type: "text", text: desc }] };
    if (params.name === "deploy") {
      if (a.confirm !== true) return { isError: true, content: [{ type: "text", text: `Not confirmed. Would run: ${desc}` }] };
      const { code, out } = await run(plan);
      return { isError: code !== 0, content: [{ type: "text", text: `$ ${desc}\nexit ${code}\n${out.slice(-20000)}` }] };
    }
    return { isError: true, content: [{ type: "text", text: `unknown tool ${params.name}` }] };
  } catch (e) {
    return { isError: true, content: [{ type: "text", text: e.message }] };
  }
});

server.connect(new StdioServerTransport());
