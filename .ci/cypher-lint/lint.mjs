// Lints every cypher/**/*.cypher file with Neo4j's own Cypher front end (@neo4j-cypher/language-support).
// A file holds one or more statements, each ending with ';' at the end of a line. Notices about parameters that are
// not defined are ignored (every statement is parameterised and the linter has no values); any other error fails the
// run with file:line:column. Usage: node lint.mjs <repository root>
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const root = process.argv[2] ?? process.cwd();
const cypherDir = join(root, 'cypher');

function* cypherFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* cypherFiles(path);
    else if (entry.name.endsWith('.cypher')) yield path;
  }
}

/** Splits a file into statements at lines that end with ';', keeping each statement's first line (0-based). */
function statements(text) {
  const lines = text.split(/\r?\n/);
  const result = [];
  let start = 0;
  let buffer = [];
  lines.forEach((line, i) => {
    buffer.push(line);
    if (/;\s*$/.test(line)) {
      result.push({ line: start, text: buffer.join('\n').replace(/;\s*$/, '') });
      buffer = [];
      start = i + 1;
    }
  });
  if (buffer.length > 0) result.push({ line: start, text: buffer.join('\n') });
  return result.filter((s) => s.text.replace(/\/\/.*$/gm, '').trim().length > 0);
}

const isParameterNotice = (d) => /^Parameter \$\S+ is not defined\.?$/.test(d.message);

// A file whose first lines say `// lint: 3.x only` holds syntax that Neo4j 5 removed (CREATE INDEX ON, ASSERT ... IS
// UNIQUE): the 5.x front end would reject it by design. Those statements run on the live 3.1.1 server in the tests.
const isThreeOnly = (text) => /^\/\/ lint: 3\.x only\b/m.test(text.split(/\r?\n/).slice(0, 5).join('\n'));

let files = 0;
let skipped = 0;
let checked = 0;
let errors = 0;
let warnings = 0;
for (const file of cypherFiles(cypherDir)) {
  files++;
  const name = relative(root, file);
  const text = readFileSync(file, 'utf8');
  if (isThreeOnly(text)) {
    skipped++;
    console.log(`${name}: 3.x-only syntax, not linted (run live by the Neo4j tests)`);
    continue;
  }
  for (const statement of statements(text)) {
    checked++;
    const { diagnostics } = lintCypherQuery(statement.text, {});
    for (const d of diagnostics.filter((x) => !isParameterNotice(x))) {
      const where = `${name}:${statement.line + d.range.start.line + 1}:${d.range.start.character + 1}`;
      if (d.severity === 1) {
        errors++;
        console.error(`${where}: error: ${d.message}`);
      } else {
        warnings++;
        console.error(`${where}: warning: ${d.message}`);
      }
    }
  }
}

console.log(`cypher lint: ${files} files (${skipped} 3.x-only), ${checked} statements, ${errors} errors, ${warnings} warnings`);
if (files === 0) {
  console.error('cypher lint: no .cypher files found under ' + cypherDir);
  process.exit(1);
}
process.exit(errors > 0 ? 1 : 0);
