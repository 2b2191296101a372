# runnel: GNU Make build.  `make help` lists the targets.

CC	?= cc
PKG_CONFIG ?= pkg-config
CFLAGS	?= -O2 -g
WARN	 = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifeq ($(WERROR),1)
WARN	+= -Werror
endif
PCRE_CFLAGS := $(shell $(PKG_CONFIG) --cflags libpcre2-8 2>/dev/null)
PCRE_LIBS   := $(shell $(PKG_CONFIG) --libs libpcre2-8 2>/dev/null || echo -lpcre2-8)
# CPPFLAGS, CFLAGS and LDFLAGS from the environment are honoured, so
# dpkg-buildflags' hardening reaches the Debian package.
# jansson: the JSON library (record_json.c); its scanner's oracle.
JSON_CFLAGS := $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
JSON_LIBS   := $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null || echo -ljansson)
# Compressed input (lib/decomp*.c): gzip through ISA-L where pkg-config
# finds it, else through zlib (GZIP_IMPL=zlib forces zlib); zstd, xz,
# bzip2 through their libraries (Debian's bzip2 ships no .pc file).
GZIP_IMPL ?= $(shell $(PKG_CONFIG) --exists libisal 2>/dev/null && echo isal || echo zlib)
ifeq ($(GZIP_IMPL),isal)
GZIP_PC	 = libisal
else
GZIP_PC	 = zlib
endif
DZ_PC	 = $(GZIP_PC) libzstd liblzma
DZ_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(DZ_PC) 2>/dev/null)
DZ_LIBS	 := $(shell $(PKG_CONFIG) --libs $(DZ_PC) 2>/dev/null || echo $(if $(filter isal,$(GZIP_IMPL)),-lisal,-lz) -lzstd -llzma) -lbz2
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(CPPFLAGS) $(CFLAGS) $(SAN) -Ilib $(PCRE_CFLAGS) $(JSON_CFLAGS) $(DZ_CFLAGS)
LDLIBS	 = $(PCRE_LIBS) $(JSON_LIBS) $(DZ_LIBS) -lm -pthread

# Where objects and programs go; `make check` builds a sanitized copy
# beside the normal one.
BUILD	?= build
BIN	?= bin

# install: GNU names, PREFIX accepted too
PREFIX	?= /usr/local
prefix	?= $(PREFIX)
exec_prefix ?= $(prefix)
bindir	?= $(exec_prefix)/bin
datarootdir ?= $(prefix)/share
mandir	?= $(datarootdir)/man
man1dir	?= $(mandir)/man1
man7dir	?= $(mandir)/man7
bashcompdir ?= $(datarootdir)/bash-completion/completions
zshcompdir ?= $(datarootdir)/zsh/vendor-completions
fishcompdir ?= $(datarootdir)/fish/vendor_completions.d
PROGRAM_PREFIX ?=
INSTALL	?= install

# One gzip engine of the two is built: decomp_gzip_$(GZIP_IMPL).c.
LIB_SRC	:= $(filter-out $(filter-out lib/decomp_gzip_$(GZIP_IMPL).c,$(wildcard lib/decomp_gzip_*.c)),$(sort $(wildcard lib/*.c)))
LIB_OBJ	:= $(LIB_SRC:lib/%.c=$(BUILD)/lib/%.o)
CMDS	:= $(sort $(basename $(notdir $(wildcard cmd/*.c))))
PROGS	:= $(CMDS:%=$(BIN)/%)
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
UNITS	:= $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)

SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined

.PHONY: all test test-zlib unit bats check tsan valgrind fuzz lint install uninstall clean bench demo help deb

all: $(PROGS) $(BUILD)/completions/stamp

# Shell completions, generated from each program's --help
# (completions/gen): an option cannot be left out of them.
COMPGEN	 = python3 completions/gen --bin $(BIN)
$(BUILD)/completions/stamp: completions/gen $(PROGS)
	$(COMPGEN) --out $(@D) $(CMDS)
	touch $@

$(BUILD)/lib/%.o: lib/%.c $(wildcard lib/*.h) | $(BUILD)/lib
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/librunnel.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN)/%: cmd/%.c $(BUILD)/librunnel.a $(wildcard lib/*.h) | $(BIN)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/librunnel.a $(LDLIBS)

$(BUILD)/unit/%: tests/unit/%.c $(BUILD)/librunnel.a $(wildcard lib/*.h) | $(BUILD)/unit
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/librunnel.a $(LDLIBS)

$(BUILD)/lib $(BUILD)/unit $(BIN):
	mkdir -p $@

# Tests: C unit tests for lib/, then the bats suites, all as TAP.
BATS	?= bats
BATS_FILES ?= $(sort $(wildcard tests/*.bats))

# LD_PRELOAD shim for tests/badinput.bats (read errors, EACCES); never
# sanitized, whatever SAN says.
SHIM	 = $(BUILD)/readfail.so
$(SHIM): tests/shim/readfail.c | $(BUILD)/lib
	$(CC) -std=c11 -D_GNU_SOURCE -Wall -Wextra -O2 -fPIC -shared -o $@ $< -ldl

test: all $(UNITS) $(SHIM)
	@set -e; for u in $(UNITS); do $$u; done
	RUNNEL_SHIM=$(abspath $(SHIM)) RUNNEL_BIN=$(abspath $(BIN)) $(BATS) --tap $(BATS_FILES)

# gzip's other engine: zlib, where the build finds no ISA-L.  The
# compressed-input suite on a build that takes it (heavy cases skipped).
test-zlib:
	$(MAKE) BUILD=build-zlib BIN=bin-zlib GZIP_IMPL=zlib all
	RUNNEL_SLOW=1 RUNNEL_BIN=$(abspath bin-zlib) $(BATS) --tap tests/compress.bats

unit: $(UNITS)
	@set -e; for u in $(UNITS); do $$u; done

# The whole suite again under AddressSanitizer and UBSan.
check:
	$(MAKE) BUILD=build-san BIN=bin-san SAN="$(SANFLAGS)" CFLAGS="-O1 -g" test

# pipe's threads under ThreadSanitizer: the suites that run --threads.
# halt_on_error makes a race a failed case (exit 66, stderr not clean).
TSAN_BATS ?= tests/pipe_threads.bats tests/pipe.bats tests/signals.bats \
	tests/pipe_random.bats tests/printer_every.bats tests/compress.bats
tsan:
	$(MAKE) BUILD=build-tsan BIN=bin-tsan SAN=-fsanitize=thread CFLAGS="-O1 -g" all build-tsan/unit/test_handoff
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" build-tsan/unit/test_handoff
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" RUNNEL_BIN=$(abspath bin-tsan) $(BATS) --tap $(TSAN_BATS)

# The C unit tests of lib/, then one suite per command (and the
# bad-input matrix) with every runnel
# program run under valgrind through wrapper scripts; RUNNEL_SLOW=1 makes
# the heavy and tightly timed cases skip themselves.
VALGRIND ?= valgrind --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --quiet
VG_BATS	?= $(wildcard $(CMDS:%=tests/%.bats) tests/badinput.bats)
VG_BIN	 = $(BUILD)/valgrind-bin

valgrind: all $(SHIM) $(UNITS)
	@set -e; for u in $(UNITS); do RUNNEL_VALGRIND=1 $(VALGRIND) $$u; done
	@rm -rf $(VG_BIN) && mkdir -p $(VG_BIN)
	@for c in $(CMDS); do \
		printf '#!/bin/sh\nexec %s %s "$$@"\n' '$(VALGRIND)' \
			'$(abspath $(BIN))/'$$c > $(VG_BIN)/$$c && \
		chmod +x $(VG_BIN)/$$c || exit 1; \
	done
	RUNNEL_NO_JIT=1 RUNNEL_SLOW=1 RUNNEL_SHIM=$(abspath $(SHIM)) RUNNEL_BIN=$(abspath $(VG_BIN)) $(BATS) --tap $(VG_BATS)

# libFuzzer harnesses: every tests/fuzz/fuzz_NAME.c is linked with lib/
# (built again with clang, ASan and UBSan) and run FUZZ_SECONDS seconds
# from the seeds in tests/fuzz/seeds/NAME plus its corpus in build-fuzz/.
FUZZ_CC	?= clang
FUZZ_SECONDS ?= 30
FUZZ_BUILD = build-fuzz
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -Ilib $(PCRE_CFLAGS) $(JSON_CFLAGS) $(DZ_CFLAGS) $(FUZZ_SAN)
# fuzz_decomp makes its gzip input with zlib, whichever engine reads it.
FUZZ_LIBS = -lz
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZERS	:= $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_OBJ := $(LIB_SRC:lib/%.c=$(FUZZ_BUILD)/lib/%.o)

$(FUZZ_BUILD)/lib/%.o: lib/%.c $(wildcard lib/*.h)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

# An archive, so a harness may replace a lib/ file (fuzz_reader does).
$(FUZZ_BUILD)/librunnel.a: $(FUZZ_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/librunnel.a $(wildcard lib/*.c lib/*.h)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/librunnel.a $(LDLIBS) $(FUZZ_LIBS)

# One TAP line per harness (CI counts them); a crash, leak, timeout or
# failed check is "not ok" and makes the target fail after all ran.
FUZZ_FLAGS ?= -timeout=20
fuzz: $(FUZZERS)
	@i=0; rc=0; for f in $(FUZZERS); do \
		i=$$((i + 1)); n=$${f##*/fuzz_}; c=$(FUZZ_BUILD)/corpus/$$n; \
		mkdir -p $$c; s=tests/fuzz/seeds/$$n; [ -d $$s ] || s=; \
		echo "# fuzz: $$n for $(FUZZ_SECONDS) s"; \
		if $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		    $(FUZZ_FLAGS) -artifact_prefix=$(FUZZ_BUILD)/ $$c $$s; then \
			echo "ok $$i fuzz $$n"; \
		else \
			echo "not ok $$i fuzz $$n"; rc=1; \
		fi; \
	done; exit $$rc

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--std=c11 --inline-suppr -D_GNU_SOURCE -Ilib lib cmd

# With PROGRAM_PREFIX the completions are written again for the
# prefixed names.
install: all
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(man1dir) $(DESTDIR)$(man7dir) \
		$(DESTDIR)$(bashcompdir) $(DESTDIR)$(zshcompdir) $(DESTDIR)$(fishcompdir)
	for c in $(CMDS); do \
		$(INSTALL) -m 755 $(BIN)/$$c $(DESTDIR)$(bindir)/$(PROGRAM_PREFIX)$$c || exit 1; \
		$(INSTALL) -m 644 man/$$c.1 $(DESTDIR)$(man1dir)/$(PROGRAM_PREFIX)$$c.1 || exit 1; \
	done
	$(INSTALL) -m 644 man/runnel.7 $(DESTDIR)$(man7dir)/runnel.7
	c=$(BUILD)/completions; \
	if [ -n "$(PROGRAM_PREFIX)" ]; then \
		c=$(BUILD)/completions-prefixed; rm -rf $$c; \
		$(COMPGEN) --out $$c --prefix '$(PROGRAM_PREFIX)' $(CMDS) || exit 1; \
	fi; \
	for n in $(CMDS); do \
		$(INSTALL) -m 644 $$c/bash/$(PROGRAM_PREFIX)$$n $(DESTDIR)$(bashcompdir)/ && \
		$(INSTALL) -m 644 $$c/zsh/_runnel_$$n $(DESTDIR)$(zshcompdir)/ && \
		$(INSTALL) -m 644 $$c/fish/$(PROGRAM_PREFIX)$$n.fish $(DESTDIR)$(fishcompdir)/ || exit 1; \
	done

uninstall:
	for c in $(CMDS); do \
		rm -f $(DESTDIR)$(bindir)/$(PROGRAM_PREFIX)$$c \
		      $(DESTDIR)$(man1dir)/$(PROGRAM_PREFIX)$$c.1 \
		      $(DESTDIR)$(bashcompdir)/$(PROGRAM_PREFIX)$$c \
		      $(DESTDIR)$(zshcompdir)/_runnel_$$c \
		      $(DESTDIR)$(fishcompdir)/$(PROGRAM_PREFIX)$$c.fish; \
	done
	rm -f $(DESTDIR)$(man7dir)/runnel.7

# The Debian package, built from a copy of the tree in $(DEB_DIR) (the
# files git knows, or all but the build products outside git), so the
# tree itself stays clean; the .deb lands in $(DEB_DIR).
DEB_DIR	?= build-deb
DEB_JOBS ?= 2
deb:
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/src
	if git rev-parse --git-dir >/dev/null 2>&1; then \
		git ls-files -z --cached --others --exclude-standard | \
			xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh | \
			tar --null -T - -cf - | tar -xf - -C $(DEB_DIR)/src; \
	else \
		tar --exclude=./$(DEB_DIR) --exclude='./build*' --exclude='./bin*' \
			-cf - . | tar -xf - -C $(DEB_DIR)/src; \
	fi
	cd $(DEB_DIR)/src && dpkg-buildpackage -us -uc -b -j$(DEB_JOBS)
	@ls $(DEB_DIR)/*.deb

# Benchmarks report and never fail the build (tests/bench/README).
BENCH_SIZE ?= 1G
bench: all
	-BENCH_SIZE=$(BENCH_SIZE) RUNNEL_BIN=$(abspath $(BIN)) tests/bench/run

demo: all
	@tests/demo/run $(abspath $(BIN))

clean:
	rm -rf build build-san build-tsan build-fuzz build-deb build-zlib bin bin-san bin-tsan bin-zlib

help:
	@echo "make            build bin/*"
	@echo "make test       unit tests and bats suites"
	@echo "make test-zlib  the compressed-input suite with gzip through zlib"
	@echo "make check      the suite under ASan+UBSan"
	@echo "make tsan       pipe's thread suites under ThreadSanitizer"
	@echo "make valgrind   unit tests and one suite per command under valgrind"
	@echo "make fuzz       libFuzzer harnesses, FUZZ_SECONDS each (clang)"
	@echo "make lint       cppcheck"
	@echo "make bench      side-by-side timings against the peer tools"
	@echo "make demo       a pipeline over a generated access log"
	@echo "make install    DESTDIR, prefix/PREFIX, bindir, mandir, PROGRAM_PREFIX,"
	@echo "                bashcompdir, zshcompdir, fishcompdir"
	@echo "make deb        the Debian package, in build-deb/ (dpkg-buildpackage)"
