#!/bin/sh
# deps.sh: install what chronicle needs from Debian, only what is missing.
# Idempotent and quiet when everything is present.  Run as root (or with
# sudo available).  Set CHR_SKIP_DEPS=1 to skip entirely.
set -eu
[ "${CHR_SKIP_DEPS:-0}" = 1 ] && exit 0

PKGS="build-essential pkg-config clang libclang-rt-14-dev
libsqlite3-dev sqlite3 libjansson-dev libutf8proc-dev libxxhash-dev
libstemmer-dev libmicrohttpd-dev wamerican iso-codes
curl chromium"
# ner: gazetteers that `make models` reads (WordNet, word list, tz cities,
# geonames' English city names, Text::Names' census first names and surnames)
PKGS="$PKGS wordnet-base wamerican-huge tzdata libgeonames-common libtext-names-perl"
# bench/serve.sh: the HTTP load generator
PKGS="$PKGS wrk"

# Node.js and npm run the browser tests and the peer benchmarks; many
# machines already have a Node.js of their own, so Debian's is installed
# only when there is none.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	PKGS="$PKGS nodejs npm"
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "deps.sh: missing packages:$missing (run as root to install)" >&2
		exit 1
	fi
fi
echo "deps.sh: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
