# chronicle: build, test and tool targets.  See README.md.
#
# Design note: one plain Makefile.  Sources are found by wildcard, so a new
# stage is a new folder under src/ and nothing here changes.  Variants
# (asan, ubsan, fuzz) build into their own folders so they never mix
# objects with the normal build.

CC      ?= cc
BUILD   ?= build
OPT     ?= -O2
SAN     ?=
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
CFLAGS  ?= -g $(OPT)
CPPFLAGS_ALL := -std=c11 -D_GNU_SOURCE -Iinclude -Isrc $(CPPFLAGS)
CFLAGS_ALL   := $(CFLAGS) $(WARN) $(SAN) -MMD -MP
LDLIBS  := -ljansson -lutf8proc -lxxhash -lsqlite3 -lstemmer -lm -lpthread
SERVER_LIBS := -lmicrohttpd

LIB_SRC  := $(sort $(shell find src -name '*.c'))
CLI_SRC  := $(sort $(wildcard cli/*.c server/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TOOL_SRC := $(sort $(wildcard tools/*.c))
BENCH_SRC := $(sort $(wildcard bench/*.c))

DATA_FILES := $(sort $(wildcard data/*.tsv data/*.txt)) models/events.txt
DATA_C   := $(BUILD)/gen/data.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/data.o
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BIN := $(TOOL_SRC:tools/%.c=$(BUILD)/tools/%)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

LIB := $(BUILD)/libchronicle.a
CLI := $(BUILD)/chronicle

.PHONY: all deps run check test asan ubsan fuzz bench bench-scale models \
	eval-time eval-ner clean distclean fuzz-build fuzz-lib check-nodeps

all: $(LIB) $(CLI) $(TOOL_BIN)

deps:
	@sh scripts/deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c $< -o $@

# data/ files compiled into the library (src/core/embed.h)
$(DATA_C): $(DATA_FILES) scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh $(DATA_FILES) > $@

$(BUILD)/obj/gen/data.o: $(DATA_C)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

# serve: the web page's files (server/assets/) are compiled into the
# binary, as a srv_asset table written by scripts/embed.sh.
ASSETS    := $(sort $(wildcard server/assets/*))
ASSET_OBJ := $(BUILD)/obj/gen/assets.o
CLI_OBJ   += $(ASSET_OBJ)

$(BUILD)/gen/assets.c: $(ASSETS) scripts/embed.sh
	@mkdir -p $(dir $@)
	scripts/embed.sh $(ASSETS) | sed -e 's|"core/embed.h"|"server/server.h"|' \
		-e 's|embed_file embed_files|srv_asset srv_assets|' > $@

$(ASSET_OBJ): $(BUILD)/gen/assets.c server/server.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) -I. $(CFLAGS_ALL) -c $< -o $@

$(CLI): $(CLI_OBJ) $(LIB)
	$(CC) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS) $(SERVER_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) tests/harness.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) -Itests $(CFLAGS_ALL) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(BUILD)/tools/%: tools/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# make run: install what is missing, build, ingest the bundled sample.
run: deps
	@$(MAKE) --no-print-directory all
	rm -f chronicle.db chronicle.db-wal chronicle.db-shm
	$(CLI) --db chronicle.db ingest examples/*.txt examples/*.jsonl
	$(CLI) --db chronicle.db articles
	$(CLI) --db chronicle.db events
	$(CLI) --db chronicle.db storylines

# make check: every test; the last line is "N passed, N failed".
check: deps
	@$(MAKE) --no-print-directory all $(TEST_BIN)
	@tests/run.sh $(BUILD)

test: check

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" check-nodeps

ubsan: deps
	@$(MAKE) --no-print-directory BUILD=build-ubsan OPT=-O1 \
		SAN="-fsanitize=undefined -fno-sanitize-recover=all" check-nodeps

check-nodeps: all $(TEST_BIN)
	@CHR_SKIP_FUZZ=1 tests/run.sh $(BUILD)

# libFuzzer targets (clang).  The short run inside check is
# tests/cli/test_fuzz.sh; fuzz runs each target for FUZZ_SECONDS.  The
# library is compiled once for all targets (build-fuzz/, instrumented
# with fuzzer-no-link), and each target links it.  A UB report stops the
# run like a crash (-fno-sanitize-recover).  -entropic=0: see
# tests/cli/test_fuzz.sh (entropic scheduling's bookkeeping took most of
# the time on targets of this size).
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=build-fuzz/%)
FUZZ_SECONDS ?= 300
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all

fuzz-lib:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang OPT=-O1 \
		SAN="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" build-fuzz/libchronicle.a

build-fuzz/%: fuzz/%.c fuzz-lib
	clang $(CPPFLAGS_ALL) -g -O1 -fsanitize=fuzzer $(FUZZ_SAN) $(WARN) \
		-o $@ $< build-fuzz/libchronicle.a $(LDLIBS)

fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); mkdir -p fuzz/corpus-run/$$n; \
		echo "fuzz $$n ($(FUZZ_SECONDS)s)"; \
		$$f -entropic=0 -max_total_time=$(FUZZ_SECONDS) -max_len=65536 fuzz/corpus-run/$$n fuzz/corpus/$$n || exit 1; done

fuzz-build: $(FUZZ_BIN)

bench: all $(BENCH_BIN)
	bench/ingest.sh 5
	$(BUILD)/bench/pipeline $${CHR_SHARED:-../shared}/data/reuters21578/articles.jsonl 5

# bench-scale: grow a store to SCALE_N synthetic articles (bench/scale.sh;
# 1M takes hours on 2 shared cores, so the default is 100k).
bench-scale: all $(BUILD)/bench/gen_articles
	CHR_BIN=$(BUILD)/chronicle CHR_GEN=$(BUILD)/bench/gen_articles bench/scale.sh $(or $(SCALE_N),100000)

# eval-time: TempEval-3 Task A with our scorer (bench/eval_time.c) on
# TE3-platinum; EVAL=dev scores TBAQ-cleaned, EVAL=peer chrono-node.
eval-time: $(CLI)
	@BUILD=$(BUILD) bench/eval_time.sh $(or $(EVAL),platinum)

clean:
	rm -rf $(BUILD) build-asan build-ubsan build-fuzz

distclean: clean
	rm -f chronicle.db chronicle.db-wal chronicle.db-shm

# ner: `make models` rebuilds the committed NER model from ../shared
# (word clusters, then the tagger; fixed seeds, so the same bytes every
# time); `make eval-ner` scores it on CoNLL-2003 testa and testb.
models: $(BUILD)/tools/train_ner $(BUILD)/tools/train_ner_clusters
	$(BUILD)/tools/train_ner_clusters --shared $${CHR_SHARED:-../shared} --out models/ner-clusters.txt
	$(BUILD)/tools/train_ner --shared $${CHR_SHARED:-../shared} --clusters models/ner-clusters.txt --out models/ner.bin

eval-ner: $(CLI) $(BUILD)/tools/train_ner_eval
	@BUILD=$(BUILD) bench/eval_ner.sh
# end ner

-include $(shell find $(BUILD) build-asan build-ubsan -name '*.d' 2>/dev/null)

# events: `make models-events` retrains models/events.txt (ECB+ train, threshold
# on dev); `make eval-events` prints the ECB+ dev/test table and GoogleNews-TS NMI.
.PHONY: models-events eval-events
models-events: $(BUILD)/tools/train_events
	$(BUILD)/tools/train_events --shared $${CHR_SHARED:-../shared} --out models/events.txt
eval-events: $(BUILD)/tools/eval_events
	$(BUILD)/tools/eval_events --shared $${CHR_SHARED:-../shared} --model models/events.txt
