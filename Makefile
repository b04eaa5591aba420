# SPDX-License-Identifier: GPL-2.0-only
#
# memattr: top-level targets. Kbuild (the module's object list) is in ./Kbuild.
#
#   make                 memattr.ko and the memattr CLI for this machine
#   make ARCH=arm64      cross-build both for arm64 (Debian's arm64 headers)
#   make check           every build, static check and test; ends with
#                        "N passed, N failed"
#   make demo            boot the arm64 guest and show memattr working
#   make vm              boot a guest with memattr loaded (LANE=stock-amd64,
#                        stock-arm64 or debug) for a person to explore
#   make bench           the overhead benchmark in the stock-amd64 and
#                        stock-arm64 guests (BENCH_ARCH=amd64 or arm64 for
#                        one); writes bench/results-<arch>.md
#   make replay          the leak detector's day-scale replay on the host;
#                        writes selftests/replay/results.md
#   make dkms-check      dkms add/build/remove against Debian's amd64 headers
#   make style           checkpatch.pl --strict on every source file
#   make install         modules_install + depmod for KDIR's kernel
#
# Downloads and built kernels are cached in $(MEMATTR_CACHE), never here.

MEMATTR_CACHE ?= /var/cache/memattr
export MEMATTR_CACHE

# Debian architecture names; the kernel's own (x86, x86_64, aarch64) are
# accepted too.
ARCH ?= $(shell dpkg --print-architecture 2>/dev/null || uname -m)
override ARCH := $(patsubst x86_64,amd64,$(patsubst x86,amd64,$(patsubst aarch64,arm64,$(ARCH))))

ifeq ($(ARCH),arm64)
KDIR ?= $(shell bash -c '. selftests/qemu/lib.sh && memattr_arm64_kdir')
CROSS_COMPILE ?= aarch64-linux-gnu-
else ifeq ($(ARCH),amd64)
KDIR ?= $(shell scripts/kdir.sh)
CROSS_COMPILE ?=
else
$(error ARCH must be amd64 or arm64, not '$(ARCH)')
endif

BUILD := build/$(ARCH)

all: module cli

module:
	@echo "memattr: building for $(ARCH) against KDIR=$(KDIR)"
	scripts/build-module.sh --arch $(ARCH) --kdir "$(KDIR)" --out $(BUILD)/module
	@echo "memattr: $(BUILD)/module/memattr.ko"

cli:
	$(MAKE) -C userspace CROSS_COMPILE=$(CROSS_COMPILE) O=$(CURDIR)/$(BUILD)/userspace

check:
	scripts/check.sh

demo:
	scripts/demo.sh

BENCH_ARCH ?= all
bench:
	scripts/bench.sh --arch $(BENCH_ARCH)

vm:
	scripts/vm.sh $(if $(LANE),--lane $(LANE),--arch $(ARCH))

replay:
	$(MAKE) -s -C selftests/replay results

dkms-check:
	scripts/dkms-check.sh

style:
	scripts/style.sh

install: module
	$(MAKE) -C "$(KDIR)" M=$(CURDIR)/$(BUILD)/module/src modules_install
	depmod -a $$(sed -n 's/^override KERNELRELEASE = //p' "$(KDIR)/.kernelvariables" 2>/dev/null || uname -r)

clean:
	rm -rf build
	$(MAKE) -C userspace clean

.PHONY: all module cli check demo bench vm replay dkms-check style install clean
