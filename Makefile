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
#   make bench           the overhead benchmark in the stock-amd64,
#                        stock-arm64 and stock-6.12-arm64 guests
#                        (BENCH_ARCH=amd64, arm64 or arm64-6.12 for one);
#                        writes bench/results-<arch>.md
#   make replay          the leak detector's day-scale replay on the host;
#                        writes selftests/replay/results.md
#   make dkms-install    what DKMS needs, into $(DESTDIR)/usr/src/memattr-VERSION
#   make dkms-check      dkms add/build/remove of a dkms-install, against
#                        Debian's amd64 headers
#   make style           checkpatch.pl --strict on every source file
#   make install         the CLI, its man page, bash completion, systemd
#                        units, /etc/default/memattr, modules-load.d and
#                        modprobe.d files, under $(DESTDIR) and $(PREFIX)
#   make modules_install memattr.ko into KDIR's kernel's /lib/modules, + depmod
#
# Downloads and built kernels are cached in $(MEMATTR_CACHE), never here.

MEMATTR_CACHE ?= /var/cache/memattr
export MEMATTR_CACHE

# Debian architecture names; the kernel's own (x86, x86_64, aarch64) are
# accepted too.
ARCH ?= $(shell dpkg --print-architecture 2>/dev/null || uname -m)
override ARCH := $(patsubst x86_64,amd64,$(patsubst x86,amd64,$(patsubst aarch64,arm64,$(ARCH))))

# KDIR and CROSS_COMPILE: '?=' keeps KDIR's $(shell) from running for
# targets that do not build the module.
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

modules_install: module
	$(MAKE) -C "$(KDIR)" M=$(CURDIR)/$(BUILD)/module/src modules_install
	depmod -a $$(sed -n 's/^override KERNELRELEASE = //p' "$(KDIR)/.kernelvariables" 2>/dev/null || uname -r)

# ---- make install: the CLI and what runs it (wireguard-tools' layout) ----

PREFIX ?= /usr
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
SYSCONFDIR ?= /etc
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
SYSTEMDUNITDIR ?= $(shell pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null || echo '$(PREFIX)/lib/systemd/system')
MODULESLOADDIR ?= $(PREFIX)/lib/modules-load.d
# The Prometheus rules (contrib/prometheus), for the Prometheus server.
RULESDIR ?= $(DATADIR)/memattr
RULES := $(wildcard contrib/prometheus/memattr-rules.yml)

UNITS := memattr-watch.service memattr-export.service memattr-export.timer
# The units name /usr/bin/memattr and /etc/default/memattr.
UNIT_SED := -e 's|/usr/bin/memattr|$(BINDIR)/memattr|g' \
	    -e 's|/etc/default/memattr|$(SYSCONFDIR)/default/memattr|g'

install: cli
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man8" \
		"$(DESTDIR)$(BASHCOMPDIR)" "$(DESTDIR)$(SYSTEMDUNITDIR)" \
		"$(DESTDIR)$(SYSCONFDIR)/default" \
		"$(DESTDIR)$(SYSCONFDIR)/modprobe.d" \
		"$(DESTDIR)$(MODULESLOADDIR)"
	install -m 0755 $(BUILD)/userspace/memattr "$(DESTDIR)$(BINDIR)/memattr"
	install -m 0644 userspace/memattr.8 "$(DESTDIR)$(MANDIR)/man8/memattr.8"
	install -m 0644 contrib/bash-completion/memattr \
		"$(DESTDIR)$(BASHCOMPDIR)/memattr"
	for u in $(UNITS); do \
		sed $(UNIT_SED) contrib/systemd/$$u >"$(DESTDIR)$(SYSTEMDUNITDIR)/$$u" && \
		chmod 0644 "$(DESTDIR)$(SYSTEMDUNITDIR)/$$u" || exit 1; \
	done
	install -m 0644 contrib/default-memattr \
		"$(DESTDIR)$(SYSCONFDIR)/default/memattr"
	install -m 0644 contrib/modules/memattr-modprobe.conf \
		"$(DESTDIR)$(SYSCONFDIR)/modprobe.d/memattr.conf"
	install -m 0644 contrib/modules/memattr-modules-load.conf \
		"$(DESTDIR)$(MODULESLOADDIR)/memattr.conf"
ifneq ($(RULES),)
	install -d "$(DESTDIR)$(RULESDIR)"
	install -m 0644 $(RULES) "$(DESTDIR)$(RULESDIR)/memattr-rules.yml"
endif

# ---- make dkms-install: the module's sources, as DKMS wants them ----

DKMS_VERSION := $(shell cat VERSION)
DKMS_SRC ?= /usr/src/memattr-$(DKMS_VERSION)
DKMS_FILES := dkms.conf Kbuild VERSION include/uapi/linux/memattr.h \
	$(sort $(wildcard module/*.c module/*.h))

dkms-install:
	install -d "$(DESTDIR)$(DKMS_SRC)/module" \
		"$(DESTDIR)$(DKMS_SRC)/include/uapi/linux"
	for f in $(DKMS_FILES); do \
		install -m 0644 $$f "$(DESTDIR)$(DKMS_SRC)/$$f" || exit 1; \
	done

clean:
	rm -rf build
	$(MAKE) -C userspace clean

.PHONY: all module cli check demo bench vm replay dkms-install dkms-check \
	style install modules_install clean
