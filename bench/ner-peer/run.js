// run.js: the compromise peer for `chronicle tag-ner` (bench/RESULTS.md).
//
// Design note: reads a CoNLL-2003 file, joins each sentence's tokens with
// single spaces (so every token has known character offsets), runs
// compromise on it and maps people() -> PER, places() -> LOC,
// organizations() -> ORG back onto the tokens a match overlaps (IOB2;
// compromise has no MISC).  Writes "token gold pred" lines for our scorer
// (build/tools/train_ner_eval) and prints the tagging speed, timed around
// the compromise calls only, to stderr.
// Usage: node run.js eng.testb > pred.conll
'use strict';
const fs = require('fs');
const nlp = require('compromise');

const path = process.argv[2];
if (!path) {
  process.stderr.write('usage: node run.js FILE.conll\n');
  process.exit(2);
}
const lines = fs.readFileSync(path, 'utf8').split(/\r?\n/);
const sents = [];
let cur = [];
for (const l of lines) {
  if (!l.trim() || l.startsWith('-DOCSTART-')) {
    if (cur.length) sents.push(cur);
    cur = [];
    continue;
  }
  const f = l.split(/\s+/);
  cur.push({ tok: f[0], gold: f[f.length - 1] });
}
if (cur.length) sents.push(cur);

const kinds = [['people', 'PER'], ['places', 'LOC'], ['organizations', 'ORG']];
let tokens = 0;
let ms = 0;
const out = [];
for (const s of sents) {
  let text = '';
  const starts = [];
  for (const t of s) {
    if (text) text += ' ';
    starts.push(text.length);
    text += t.tok;
  }
  tokens += s.length;
  const t0 = process.hrtime.bigint();
  const doc = nlp(text);
  const found = [];
  for (const [fn, type] of kinds) {
    for (const m of doc[fn]().json({ offset: true })) {
      if (m.offset) found.push({ start: m.offset.start, end: m.offset.start + m.offset.length, type });
    }
  }
  ms += Number(process.hrtime.bigint() - t0) / 1e6;
  const pred = s.map(() => 'O');
  found.sort((a, b) => a.start - b.start);
  for (const e of found) {
    let first = true;
    s.forEach((t, i) => {
      const a = starts[i];
      const b = a + t.tok.length;
      if (b > e.start && a < e.end && pred[i] === 'O') {
        pred[i] = (first ? 'B-' : 'I-') + e.type;
        first = false;
      }
    });
  }
  s.forEach((t, i) => out.push(`${t.tok} ${t.gold} ${pred[i]}`));
  out.push('');
}
process.stdout.write(out.join('\n') + '\n');
process.stderr.write(`compromise: ${tokens} tokens, ${sents.length} sentences, ` +
  `${(ms / 1000).toFixed(2)} s, ${Math.round(tokens / (ms / 1000))} tokens/s\n`);
