// run.js: chrono-node on TempEval-3 inputs, written back as TimeML so our
// scorer (bench/eval_time.c) can score it like chronicle.
//
//   node run.js IN_DIR OUT_DIR      (IN_DIR holds *.tml.TE3input files)
//
// Design note: chrono-node finds date and time mentions and resolves them
// against a reference date (here the document's DCT).  It has no notion
// of durations or sets, so every mention is a DATE, or a TIME when an
// hour is given; the value keeps only the fields chrono marks as certain
// (day, month, year), which is how TIMEX3 writes partial dates.  Prints
// the tagging time over the TEXT words (document reading not included).
'use strict';
const fs = require('fs');
const path = require('path');
const chrono = require('chrono-node');

const [inDir, outDir] = process.argv.slice(2);
if (!inDir || !outDir) {
  console.error('usage: node run.js IN_DIR OUT_DIR');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

const pad = (n, w) => String(n).padStart(w, '0');

function value(c) {
  const y = c.get('year'), m = c.get('month'), d = c.get('day');
  let v;
  if (c.isCertain('day') || c.isCertain('weekday')) v = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
  else if (c.isCertain('month')) v = `${pad(y, 4)}-${pad(m, 2)}`;
  else if (c.isCertain('year')) v = pad(y, 4);
  else v = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
  if (c.isCertain('hour')) {
    if (v.length === 4) v = `${v}-${pad(m, 2)}-${pad(d, 2)}`;
    return { type: 'TIME', value: `${v}T${pad(c.get('hour'), 2)}:${pad(c.get('minute') || 0, 2)}` };
  }
  return { type: 'DATE', value: v };
}

let words = 0, ms = 0, docs = 0;
for (const f of fs.readdirSync(inDir).filter((x) => x.endsWith('.TE3input')).sort()) {
  const doc = fs.readFileSync(path.join(inDir, f), 'utf8');
  const m = /<DCT>[\s\S]*?value="(\d{4})-(\d{2})-(\d{2})/.exec(doc);
  const ref = m ? new Date(+m[1], +m[2] - 1, +m[3], 12) : new Date();
  const ts = doc.indexOf('<TEXT>') + 6, te = doc.indexOf('</TEXT>');
  const text = doc.slice(ts, te);
  words += text.split(/\s+/).filter(Boolean).length;
  const t0 = process.hrtime.bigint();
  const found = chrono.parse(text, ref);
  ms += Number(process.hrtime.bigint() - t0) / 1e6;
  let out = doc.slice(0, ts), at = 0, tid = 1;
  for (const r of found) {
    if (r.index < at) continue;
    const { type, value: v } = value(r.start);
    out += text.slice(at, r.index) +
      `<TIMEX3 tid="t${tid++}" type="${type}" value="${v}">` + r.text + '</TIMEX3>';
    at = r.index + r.text.length;
  }
  out += text.slice(at) + doc.slice(te);
  fs.writeFileSync(path.join(outDir, f.replace(/\.TE3input$/, '')), out);
  docs++;
}
console.log(`chrono-node ${JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules/chrono-node/package.json'), 'utf8')).version}: ${docs} documents, ` +
  `${words} words in ${ms.toFixed(1)} ms (${Math.round(words / (ms / 1000))} words/s)`);
