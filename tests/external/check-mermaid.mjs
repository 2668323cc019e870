// Parses architecture.mmd files with Mermaid itself (the npm package, with jsdom standing in
// for the browser DOM that Mermaid's sanitiser needs).
//
// Usage: node tests/external/check-mermaid.mjs DIR_OR_FILE...   every architecture.mmd given
//        node tests/external/check-mermaid.mjs --self-test       the check rejects broken charts
//
// A chart passes when Mermaid parses it as a flowchart with edges, and no `%%{...}%%` directive
// (which could reconfigure Mermaid) appears anywhere in the text.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

async function problems(text) {
  if (text.includes('%%{')) return ['a %%{ directive appears in the text'];
  try {
    const parsed = await mermaid.parse(text);
    if (parsed.diagramType !== 'flowchart-v2') return [`parsed as ${parsed.diagramType}, not a flowchart`];
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    if (diagram.db.getEdges().length === 0) return ['the flowchart has no edges'];
    return [];
  } catch (error) {
    return [`Mermaid rejects it: ${String(error.message ?? error).split('\n').slice(0, 4).join(' ')}`];
  }
}

async function selfTest() {
  const good = '---\ntitle: "t"\n---\nflowchart LR\n  a(["A #quot;x#quot;"])\n  b["B<br/>c"]\n  a -->|"w 1"| b\n';
  const broken = {
    'unbalanced quote': 'flowchart LR\n  a["A "x" "]\n  a --> b\n',
    'unclosed shape': 'flowchart LR\n  a["A"\n  a --> b\n',
    'directive': '%%{init: {"securityLevel": "loose"}}%%\nflowchart LR\n  a --> b\n',
    'not a flowchart': 'pie\n  "a" : 1\n',
    'no edges': 'flowchart LR\n  a["A"]\n',
  };
  const failures = [];
  const found = await problems(good);
  if (found.length) failures.push(`a valid chart was rejected: ${found}`);
  for (const [name, text] of Object.entries(broken)) {
    if ((await problems(text)).length === 0) failures.push(`not rejected: ${name}`);
  }
  for (const failure of failures) console.error(`check-mermaid self-test: ${failure}`);
  if (failures.length === 0) console.log(`check-mermaid self-test: 1 valid chart accepted, ${Object.keys(broken).length} broken ones rejected`);
  return failures.length ? 1 : 0;
}

async function main(args) {
  if (args.length === 1 && args[0] === '--self-test') return selfTest();
  const files = args.flatMap((arg) => {
    if (statSync(arg).isDirectory()) {
      const file = join(arg, 'architecture.mmd');
      return existsSync(file) ? [file] : [];
    }
    return [arg];
  });
  if (files.length === 0) {
    console.error('check-mermaid: no architecture.mmd among the arguments');
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    const found = await problems(readFileSync(file, 'utf8'));
    for (const problem of found) console.error(`${file}: ${problem}`);
    if (found.length) failed++;
  }
  console.log(`check-mermaid: ${files.length - failed} accepted, ${failed} rejected`);
  return failed ? 1 : 0;
}

process.exit(await main(process.argv.slice(2)));
