// Run the official CLI's `asyncapi validate FILE` (@asyncapi/cli) on many files in one Node
// process: the CLI's start-up takes seconds, its validation of one document a fraction of that.
// Usage: node asyncapi_cli_validate.cjs FILE...  (ASYNCAPI_PARSER_DIR = the node_modules holding
// @asyncapi/cli). Prints the CLI's own output, then "@@RESULT <exit code> <file>" per file, and
// exits 0 when every file is valid.
const path = require('path');

const cliDir = path.join(process.env.ASYNCAPI_PARSER_DIR || '', '@asyncapi/cli');
process.env.NODE_ENV = 'production';
const oclif = require(require.resolve('@oclif/core', { paths: [cliDir] }));

(async () => {
  let failed = false;
  for (const file of process.argv.slice(2)) {
    let code = 0;
    process.exitCode = 0;
    try {
      await oclif.run(['validate', file], cliDir);
    } catch (e) {
      code = e && e.oclif && typeof e.oclif.exit === 'number' ? e.oclif.exit : 1;
      if (code !== 0) console.log(String((e && e.message) || e).slice(0, 2000));
    }
    if (process.exitCode) code = process.exitCode;
    process.exitCode = 0;
    if (code !== 0) failed = true;
    console.log(`@@RESULT ${code} ${file}`);
  }
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(String(e)); process.exit(2); });
