// Run generated TypeScript on payloads for bench/codegen_peers.py.
// Usage: node run_ts.cjs TASKS.json; TASKS: [{"tool","file","name","payloads":[...]}].
// Each file is transpiled with the TypeScript compiler (no type check) and loaded as CommonJS;
// prints one JSON line per task: {"tool","name","results":[true = rejected, false = accepted], "error"}.
"use strict";
const fs = require("node:fs");
const Module = require("node:module");
const ts = require("typescript");

function load(file) {
  const src = fs.readFileSync(file, "utf8");
  const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(__dirname);
  m._compile(js, file);
  return m.exports;
}

function rejects(tool, mod, name, src, payload) {
  if (tool === "ours") {
    return !mod.check(mod.MESSAGES[name], payload).ok;
  }
  try {
    if (tool === "quicktype") {
      const fn = /public static (to\w+)\(json: string\)/.exec(src)[1];
      mod.Convert[fn](JSON.stringify(payload));
    } else {
      const cls = /export \{ (\w+) \};/.exec(src)[1];
      mod[cls].unmarshal(payload);
    }
    return false;
  } catch (e) {
    return true;
  }
}

const tasks = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const cache = new Map();
for (const t of tasks) {
  const row = { tool: t.tool, name: t.name, results: [], error: "" };
  try {
    if (!cache.has(t.file)) cache.set(t.file, load(t.file));
    const mod = cache.get(t.file);
    const src = fs.readFileSync(t.file, "utf8");
    for (const p of t.payloads) row.results.push(rejects(t.tool, mod, t.name, src, p));
  } catch (e) {
    row.error = String(e && e.message || e).split("\n")[0].slice(0, 200);
  }
  console.log(JSON.stringify(row));
}
