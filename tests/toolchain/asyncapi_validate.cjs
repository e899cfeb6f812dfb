// Validate AsyncAPI documents with the official parser (@asyncapi/parser, the library behind
// `asyncapi validate`). Usage: node asyncapi_validate.cjs FILE...  Exit 0 when every document
// is valid (no diagnostics of severity error), 1 otherwise; errors are printed per file.
const fs = require('fs');
const path = require('path');
const { Parser } = require(path.join(process.env.ASYNCAPI_PARSER_DIR || '', '@asyncapi/parser'));

async function main() {
  const parser = new Parser();
  let failed = false;
  for (const file of process.argv.slice(2)) {
    const { diagnostics } = await parser.parse(fs.readFileSync(file, 'utf8'), { source: file });
    const errors = diagnostics.filter((d) => d.severity === 0);
    if (errors.length) {
      failed = true;
      for (const d of errors) console.log(`${file}: ${d.code}: ${d.message} at /${d.path.join('/')}`);
    } else {
      console.log(`${file}: valid`);
    }
  }
  process.exit(failed ? 1 : 0);
}
main().catch((e) => { console.error(String(e)); process.exit(2); });
