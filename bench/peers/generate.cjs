// Generate code with quicktype and AsyncAPI Modelina for bench/codegen_peers.py.
// Usage: node generate.cjs JOBS.json OUTDIR
// JOBS.json: [{"name": "OrderPlaced", "schema": {...}}, ...]. Writes OUTDIR/<tool>/<lang>/<name>.<ext>
// and prints one JSON line per (tool, lang, name): {"tool","lang","name","ok","error"}.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const EXT = { typescript: "ts", python: "py", go: "go" };

async function quicktypeGen(qt, name, schema, lang) {
  const input = new qt.JSONSchemaInput(new qt.FetchingJSONSchemaStore());
  await input.addSource({ name, schema: JSON.stringify(schema) });
  const data = new qt.InputData();
  data.addInput(input);
  const options = {
    typescript: { "runtime-typecheck": "true" },  // Convert.toX() checks types and properties
    python: { "python-version": "3.7" },         // from_dict() asserts every field's type
    go: { package: "msgs" },
  }[lang];
  const out = await qt.quicktype({ inputData: data, lang, rendererOptions: options });
  return out.lines.join("\n") + "\n";
}

async function modelinaGen(md, name, schema, lang) {
  const input = { $schema: "http://json-schema.org/draft-07/schema#", $id: name, ...schema };
  let gen, options;
  if (lang === "typescript") {
    gen = new md.TypeScriptGenerator({ presets: [{ preset: md.TS_COMMON_PRESET, options: { marshalling: true } }] });
    options = { exportType: "named" };
  } else if (lang === "python") {
    gen = new md.PythonGenerator({ presets: [md.PYTHON_PYDANTIC_PRESET] });
    options = {};
  } else {
    gen = new md.GoGenerator({ presets: [{ preset: md.GO_COMMON_PRESET, options: { addJsonTag: true } }] });
    options = { packageName: "msgs" };
  }
  const models = await gen.generateCompleteModels(input, options);
  // One module per message: Modelina writes one file per model importing the others; joined
  // here (the cross-file imports dropped) so the output runs as one module.
  let text = models.map((m) => m.result).join("\n\n") + "\n";
  if (lang === "typescript") {
    text = text.replace(/^import \{?[\w, ]+\}? from '\.\/[\w]+';\n/gm, "");
  } else if (lang === "python") {
    text = "from __future__ import annotations\n" +
      text.replace(/^from asyncapimodels\.\w+ import \w+\n/gm, "").replace(/^from __future__ import annotations\n/gm, "");
  }
  return text;
}

async function main() {
  const [jobsFile, outDir] = process.argv.slice(2);
  const jobs = JSON.parse(fs.readFileSync(jobsFile, "utf8"));
  let qt = null, md = null, qtErr = "", mdErr = "";
  try { qt = require("quicktype-core"); } catch (e) { qtErr = String(e).split("\n")[0]; }
  try { md = require("@asyncapi/modelina"); } catch (e) { mdErr = String(e).split("\n")[0]; }
  for (const job of jobs) {
    for (const lang of ["typescript", "python", "go"]) {
      for (const [tool, lib, err, fn] of [["quicktype", qt, qtErr, quicktypeGen], ["modelina", md, mdErr, modelinaGen]]) {
        const row = { tool, lang, name: job.name, ok: false, error: "" };
        if (!lib) { row.error = `not installed: ${err}`; console.log(JSON.stringify(row)); continue; }
        try {
          const text = await fn(lib, job.name, job.schema, lang);
          const dir = path.join(outDir, tool, lang);
          fs.mkdirSync(dir, { recursive: true });
          fs.writeFileSync(path.join(dir, `${job.name}.${EXT[lang]}`), text);
          row.ok = true;
        } catch (e) {
          row.error = String(e && e.message || e).split("\n")[0].slice(0, 200);
        }
        console.log(JSON.stringify(row));
      }
    }
  }
}
main().catch((e) => { console.error(String(e)); process.exit(1); });
