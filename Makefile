# hojo - build, test and benchmark.
#
#   make run     install missing packages, build, start hojo serve in the
#                foreground on LISTEN (127.0.0.1:8080), print the address
#   make check   every test (unit tests also under ASan/UBSan); last line
#                "N passed, N failed"
#   make bench   the benchmarks in bench/ (not part of check)
#   make fuzz    the libFuzzer targets in fuzz/, FUZZ_SECONDS each (clang;
#                not part of check); make fuzz-smoke: each corpus once
#   make         just build build/hojo and build/libhojo.a

CC      ?= gcc
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-missing-field-initializers -Wno-format-truncation -Werror
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 $(WARN) -Iinclude -Ilib -I/usr/include/postgresql
LIBS    := -pthread -lmicrohttpd -lfyaml -ljansson -lcsv -lunistring -lnettle -lm -lxlsxwriter \
           -lsqlite3 -lpq -largon2
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC := $(sort $(wildcard lib/*.c lib/store/*.c lib/grants/*.c))
MIGRATIONS := $(sort $(wildcard lib/store/migrations/*.sql))
CLI_SRC := $(sort $(wildcard cli/*.c) $(wildcard server/*.c))
UNIT_SRC:= $(sort $(wildcard tests/unit/test_*.c))

B        := build
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/migrations.o
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/%.o)
ALIB_OBJ := $(LIB_SRC:%.c=$(B)/asan/%.o) $(B)/asan/gen/migrations.o
ACLI_OBJ := $(CLI_SRC:%.c=$(B)/asan/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/asan/tests/%)
BENCH_BIN:= $(B)/bench/bench_eval $(B)/bench/gen_population $(B)/bench/read_floor $(B)/bench/bench_select

.PHONY: all run check bench bench-http deps deps-test deps-bench deps-fuzz unit clean fuzz fuzz-build fuzz-smoke
all: $(B)/hojo $(B)/libhojo.a

deps:
	@./tools/install-deps

deps-test:
	@./tools/install-deps --test

deps-bench:
	@./tools/install-deps --bench

HDRS := $(wildcard include/hojo/*.h include/hojo/grants/*.h lib/*.h lib/store/*.h lib/grants/*.h cli/*.h server/*.h)

# the schema migrations embedded in the library (lib/store/driver.h)
$(B)/gen/migrations.c: $(MIGRATIONS) tools/embed-migrations
	@mkdir -p $(dir $@)
	./tools/embed-migrations $@ $(MIGRATIONS)

$(B)/gen/migrations.o: $(B)/gen/migrations.c lib/store/driver.h include/hojo/store.h
	$(CC) $(CFLAGS) -Ilib/store -c $< -o $@

$(B)/asan/gen/migrations.o: $(B)/gen/migrations.c lib/store/driver.h include/hojo/store.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SAN) -Ilib/store -c $< -o $@

$(B)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/asan/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SAN) -c $< -o $@

$(B)/libhojo.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/libhojo-asan.a: $(ALIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/hojo: $(CLI_OBJ) $(B)/libhojo.a
	$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(B)/libhojo.a $(LIBS)

$(B)/asan/tests/%: tests/unit/%.c $(B)/libhojo-asan.a $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SAN) -o $@ $< $(B)/libhojo-asan.a $(LIBS) -lcmocka

$(B)/asan/hojo: $(ACLI_OBJ) $(B)/libhojo-asan.a
	$(CC) $(CFLAGS) -O1 $(SAN) -o $@ $(ACLI_OBJ) $(B)/libhojo-asan.a $(LIBS)

# the store suite (tests/store/run runs it on SQLite and PostgreSQL)
STORE_SRC := $(sort $(wildcard tests/store/*.c))
$(B)/asan/store/suite: $(STORE_SRC) $(B)/libhojo-asan.a tests/unit/fixtures.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SAN) -o $@ $(STORE_SRC) $(B)/libhojo-asan.a $(LIBS) -lcmocka

unit: $(UNIT_BIN) $(B)/asan/hojo $(B)/asan/store/suite

LISTEN ?= 127.0.0.1:8080
run: deps all
	@echo "hojo: ページ http://$(LISTEN)/ （API の説明: docs/api.md、止めるには Ctrl-C）"
	@echo "hojo: 例: curl -s -X POST -H 'Content-Type: application/json' -d '{\"date\":\"2024-03-15\",\"applicant\":{\"legal_form\":\"company\",\"industry\":\"manufacturing\",\"capital\":\"1000万円\",\"employees\":25},\"project\":{\"expenses\":\"1500万円\"}}' http://$(LISTEN)/api/v1/check"
	./$(B)/hojo serve --listen $(LISTEN)

check: deps-test all unit $(B)/bench/gen_population
	@./tests/run-all

$(B)/bench/%: bench/%.c $(B)/libhojo.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O2 -o $@ $< $(B)/libhojo.a $(LIBS)

bench: deps-bench all $(BENCH_BIN)
	@./bench/run

# the HTTP benchmark with wrk (docs/performance.md); loopback only
bench-http: deps-bench all
	@./bench/http

# libFuzzer targets (clang), one per way data enters (docs/testing.md):
# 'make fuzz' runs each for FUZZ_SECONDS on its committed seed corpus
# fuzz/corpus-NAME plus what it found before (build/fuzz/corpus-NAME);
# 'make fuzz-smoke' runs each over its committed corpus once. Neither is
# part of 'make check'.
FUZZ_SECONDS ?= 30
FUZZ_TARGETS := expr input rulebook batch plan expenses group cli
FUZZ_CFLAGS := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
               -std=c17 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 $(filter-out -Wno-format-truncation,$(WARN)) \
               -Iinclude -Ilib -I/usr/include/postgresql
FUZZ_RUN    := -timeout=5 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 -dict=fuzz/hojo.dict
F           := $(B)/fuzz
FLIB_OBJ    := $(LIB_SRC:%.c=$(F)/%.o) $(F)/gen/migrations.o
FCLI_OBJ    := $(CLI_SRC:%.c=$(F)/%.o)
FUZZ_BIN    := $(FUZZ_TARGETS:%=$(F)/fuzz_%)

$(F)/gen/migrations.o: $(B)/gen/migrations.c lib/store/driver.h include/hojo/store.h
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -Ilib/store -c $< -o $@

$(F)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(if $(filter cli/main.c,$<),-Dmain=hojo_main -Wno-missing-prototypes) -c $< -o $@

$(F)/libhojo-fuzz.a: $(FLIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(F)/fuzz_cli: fuzz/fuzz_cli.c fuzz/fuzz.h $(FCLI_OBJ) $(F)/libhojo-fuzz.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -Icli -o $@ $< $(FCLI_OBJ) $(F)/libhojo-fuzz.a $(LIBS)

$(F)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz.h $(F)/libhojo-fuzz.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(F)/libhojo-fuzz.a $(LIBS)

fuzz-build: deps-fuzz $(FUZZ_BIN)

deps-fuzz:
	@./tools/install-deps --fuzz

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(F)/corpus-$$t $(F)/artifacts-$$t || exit 1; \
		echo "== fuzz_$$t ($(FUZZ_SECONDS) s)"; \
		close=; [ $$t = cli ] && close=-close_fd_mask=3; \
		$(F)/fuzz_$$t $(FUZZ_RUN) $$close -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=$(F)/artifacts-$$t/ $(F)/corpus-$$t fuzz/corpus-$$t || exit 1; \
	done

fuzz-smoke: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		close=; [ $$t = cli ] && close=-close_fd_mask=3; \
		$(F)/fuzz_$$t $(FUZZ_RUN) $$close -runs=0 -artifact_prefix=$(F)/smoke- fuzz/corpus-$$t 2>$(F)/smoke-$$t.log || \
			{ cat $(F)/smoke-$$t.log; exit 1; }; \
		echo "fuzz_$$t: $$(ls fuzz/corpus-$$t | wc -l) inputs, no crash, hang or leak"; \
	done

clean:
	rm -rf $(B)
