# SPDX-License-Identifier: BSD-2-Clause
# The entry points; meson and ninja do the building.
#   make            build/ (ifsecd, ifsecctl, tests)
#   make test       every test; the last line is "N passed, N failed"
#   make demo       two namespaces, a tunnel, traffic, the counters
#   make bench      ifsec beside strongSwan and wireguard-go, then 1000
#                   tunnels and the IKE setup rate (bench/README.md)
#   make fuzz       each fuzz target for FUZZ_SECONDS (default 60)
FUZZ_SECONDS ?= 60

.PHONY: all test demo bench fuzz clean

all: build/build.ninja
	ninja -C build

build/build.ninja:
	scripts/bootstrap
	meson setup build

test:
	scripts/bootstrap
	tests/run

demo: all
	scripts/bootstrap
	scripts/demo build/src/ifsecd/ifsecd

bench: all
	scripts/bootstrap --bench
	bench/run $(BENCH_ARGS)
	bench/scale
	bench/handshakes

build-fuzz/build.ninja:
	scripts/bootstrap
	CC=clang meson setup build-fuzz -Dfuzz=true -Dtests=disabled \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args=-fsanitize=fuzzer-no-link

# Reconfigured each time: a fuzz target is built once its file exists.
fuzz: build-fuzz/build.ninja
	meson setup --reconfigure build-fuzz >/dev/null
	ninja -C build-fuzz
	tests/fuzz/run $(FUZZ_SECONDS)

clean:
	rm -rf build build-asan build-fuzz
