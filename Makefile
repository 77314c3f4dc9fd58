# hojo - build, test and benchmark.
#
#   make run     install missing packages, build, check the sample company
#   make check   every test (unit tests also under ASan/UBSan); last line
#                "N passed, N failed"
#   make bench   the benchmarks in bench/ (not part of check)
#   make         just build build/hojo and build/libhojo.a

CC      ?= gcc
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-missing-field-initializers -Wno-format-truncation -Werror
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c17 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 $(WARN) -Iinclude -Ilib
LIBS    := -pthread -lfyaml -ljansson -lcsv -lunistring -lnettle -lm -lxlsxwriter
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC := $(sort $(wildcard lib/*.c))
CLI_SRC := $(sort $(wildcard cli/*.c))
UNIT_SRC:= $(sort $(wildcard tests/unit/test_*.c))

B        := build
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/%.o)
ALIB_OBJ := $(LIB_SRC:%.c=$(B)/asan/%.o)
ACLI_OBJ := $(CLI_SRC:%.c=$(B)/asan/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/asan/tests/%)
BENCH_BIN:= $(B)/bench/bench_eval $(B)/bench/gen_population $(B)/bench/read_floor

.PHONY: all run check bench deps deps-test deps-bench unit clean fuzz
all: $(B)/hojo $(B)/libhojo.a

deps:
	@./tools/install-deps

deps-test:
	@./tools/install-deps --test

deps-bench:
	@./tools/install-deps --bench

$(B)/%.o: %.c $(wildcard include/hojo/*.h lib/*.h cli/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/asan/%.o: %.c $(wildcard include/hojo/*.h lib/*.h cli/*.h)
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

$(B)/asan/tests/%: tests/unit/%.c $(B)/libhojo-asan.a tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SAN) -o $@ $< $(B)/libhojo-asan.a $(LIBS) -lcmocka

$(B)/asan/hojo: $(ACLI_OBJ) $(B)/libhojo-asan.a
	$(CC) $(CFLAGS) -O1 $(SAN) -o $@ $(ACLI_OBJ) $(B)/libhojo-asan.a $(LIBS)

unit: $(UNIT_BIN) $(B)/asan/hojo

run: deps all
	./$(B)/hojo check examples/sample.yaml

check: deps-test all unit $(B)/bench/gen_population
	@./tests/run-all

$(B)/bench/%: bench/%.c $(B)/libhojo.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O2 -o $@ $< $(B)/libhojo.a $(LIBS)

bench: deps-bench all $(BENCH_BIN)
	@./bench/run

# libFuzzer targets (clang): each runs for FUZZ_SECONDS on its seed corpus
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -std=c17 -D_DEFAULT_SOURCE \
              -D_XOPEN_SOURCE=700 -Iinclude -Ilib
fuzz: deps
	@mkdir -p $(B)/fuzz $(B)/fuzz/corpus-expr $(B)/fuzz/corpus-input
	clang $(FUZZ_FLAGS) -o $(B)/fuzz/fuzz_expr fuzz/fuzz_expr.c lib/expr.c lib/money.c \
	      lib/date.c lib/error.c lib/alloc.c -lunistring
	clang $(FUZZ_FLAGS) -o $(B)/fuzz/fuzz_input fuzz/fuzz_input.c $(LIB_SRC) $(LIBS)
	$(B)/fuzz/fuzz_expr -max_total_time=$(FUZZ_SECONDS) $(B)/fuzz/corpus-expr
	$(B)/fuzz/fuzz_input -max_total_time=$(FUZZ_SECONDS) -max_len=4096 $(B)/fuzz/corpus-input fuzz/corpus-input

clean:
	rm -rf $(B)
