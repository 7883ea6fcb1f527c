// dedup_peer.js: the npm `minhash` package (Minhash + LshIndex) on the same
// generated set as bench/dedup, for a side-by-side in bench/RESULTS.md.
// Same shingles as chronicle (lower-cased alphanumeric words, 5 per
// shingle), 128 permutations, bands of 4 (the package default), candidates
// accepted at estimated Jaccard >= 0.5, groups by union-find.  Scored with
// the same pair precision/recall/F1.  usage: node bench/dedup_peer.js SET.jsonl
'use strict';
const fs = require('fs');
const { Minhash, LshIndex } = require('minhash');
const docs = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map(JSON.parse);
const t0 = process.hrtime.bigint();
const index = new LshIndex({ bandSize: 4 });
const mh = [], parent = docs.map((_, i) => i);
const find = (i) => (parent[i] === i ? i : (parent[i] = find(parent[i])));
docs.forEach((d, i) => {
  const w = d.text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const m = new Minhash({ numPerm: 128 });
  for (let k = 0; k + 5 <= Math.max(w.length, 5); k++) m.update(w.slice(k, k + 5).join(' '));
  mh.push(m);
  const hb = index.getHashbands(m);
  const seen = new Set();
  for (const b of hb) for (const j of index.index[b] || []) seen.add(j);
  for (const j of seen) if (m.jaccard(mh[j]) >= 0.5) parent[find(i)] = find(j);
  index.insert(i, m);
});
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const pairs = (key) => { const c = new Map(); docs.forEach((d, i) => { const k = key(d, i); c.set(k, (c.get(k) || 0) + 1); });
  let s = 0; for (const v of c.values()) s += v * (v - 1) / 2; return s; };
const truth = pairs((d) => d.group), pred = pairs((d, i) => find(i)), tp = pairs((d, i) => d.group + '\u0000' + find(i));
const p = tp / pred, r = tp / truth;
console.log(`npm minhash 0.0.9: ${docs.length} articles, ${secs.toFixed(3)} s (${(secs * 1e6 / docs.length).toFixed(1)} us/article)`);
console.log(`pair precision ${p.toFixed(4)} recall ${r.toFixed(4)} F1 ${(2 * p * r / (p + r)).toFixed(4)}`);
