#!/bin/sh
# eval_ner.sh: `make eval-ner`.  Tags CoNLL-2003 eng.testa (development)
# and eng.testb (test) with `chronicle tag-ner --format conll`, scores them
# with our conlleval-compatible scorer (build/tools/train_ner_eval), and
# times the tagger on testb (pre-tokenized) and on the Reuters-21578
# articles (plain text, tokenizer included).  Skips cleanly when the
# shared data is absent.  Env: BUILD (default build), CHR_SHARED
# (default ../shared).
set -eu
BUILD=${BUILD:-build}
SHARED=${CHR_SHARED:-../shared}
D=$SHARED/data/conll2003
if [ ! -f "$D/eng.testb" ]; then
	echo "eval-ner: $D not found; skipped"
	exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for s in testa testb; do
	"$BUILD/chronicle" tag-ner --format conll "$D/eng.$s" >"$out/$s.conll"
	"$BUILD/tools/train_ner_eval" --label "eng.$s" "$out/$s.conll"
done
# Speed: each file NER_SPEED_RUNS times (default 5; each run is the best
# of 5 passes), then the median, since single runs swing widely on a
# shared machine.
R=$SHARED/data/reuters21578/articles.jsonl
for f in "$D/eng.testb" "$R"; do
	[ -f "$f" ] || continue
	i=0
	while [ "$i" -lt "${NER_SPEED_RUNS:-5}" ]; do
		"$BUILD/tools/train_ner_eval" --speed "$f"
		i=$((i + 1))
	done | tee "$out/speed" >&2
	awk -v f="$f" '{for (i = 1; i < NF; i++) if ($(i + 1) == "tokens/s") print $i}' \
		"$out/speed" | sort -n |
		awk -v f="$f" '{v[NR] = $1} END {if (NR) printf "speed %s: median %d tokens/s over %d runs\n", f, v[int((NR + 1) / 2)], NR}'
done
# NER_PEER=1: the compromise peer (bench/ner-peer, npm ci) on testb.
if [ "${NER_PEER:-0}" = 1 ]; then
	(cd bench/ner-peer && [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null)
	node bench/ner-peer/run.js "$D/eng.testb" >"$out/peer.conll"
	"$BUILD/tools/train_ner_eval" --label "compromise eng.testb" "$out/peer.conll"
fi
