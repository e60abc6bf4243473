// Reads a JSON array of Mermaid diagram texts on stdin and parses each with Mermaid's own parser.
// Prints one line per diagram ("ok", or "bad: <first lines of the error>"); exits 1 when any is bad.
import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';

// Mermaid sanitizes labels with DOMPurify, which needs a window.
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

const diagrams = JSON.parse(readFileSync(0, 'utf8'));
let bad = 0;
for (const diagram of diagrams) {
  try {
    await mermaid.parse(diagram);
    console.log('ok');
  } catch (error) {
    bad++;
    console.log('bad: ' + String(error?.message ?? error).split('\n').slice(0, 4).join(' | '));
  }
}
process.exit(bad ? 1 : 0);
