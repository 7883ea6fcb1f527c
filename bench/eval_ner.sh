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
set -- "$D/eng.testb"
R=$SHARED/data/reuters21578/articles.jsonl
[ -f "$R" ] && set -- "$@" "$R"
"$BUILD/tools/train_ner_eval" --speed "$@"
# NER_PEER=1: the compromise peer (bench/ner-peer, npm ci) on testb.
if [ "${NER_PEER:-0}" = 1 ]; then
	(cd bench/ner-peer && [ -d node_modules ] || npm ci --no-audit --no-fund >/dev/null)
	node bench/ner-peer/run.js "$D/eng.testb" >"$out/peer.conll"
	"$BUILD/tools/train_ner_eval" --label "compromise eng.testb" "$out/peer.conll"
fi
