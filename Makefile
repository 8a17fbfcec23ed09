# SPDX-License-Identifier: GPL-2.0
#
# kipc: the module, the library and tools, the selftests, and the VM jobs.
#   make              module + userspace + selftests for this machine
#   make module       the module alone (KDIR=... for another kernel)
#   make demo         the guided tour, in the VM
#   make check        lint + every test on the stock and debug kernels
#   make lint         checkpatch --strict and sparse
#   make vm-shell     a shell in the VM with kipc loaded
#   make bench        kipc-bench in the VM (results/)
#   make deps         install the Debian packages everything needs

STOCK_KVER := $(shell scripts/stock-kernel 2>/dev/null)
ifneq ($(wildcard /lib/modules/$(shell uname -r)/build),)
KDIR ?= /lib/modules/$(shell uname -r)/build
else
KDIR ?= /usr/src/linux-headers-$(STOCK_KVER)
endif
KSRC ?= $(shell scripts/kernel-src 2>/dev/null)
KERNEL ?= stock
V ?= 0

export KSRC

.PHONY: all module userspace selftests clean lint check demo deps vm-shell \
	vm-build bench help

all: module userspace selftests

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

userspace:
	$(MAKE) -C userspace

selftests: userspace
	$(MAKE) -C selftests/kipc

# What scripts/vm-run puts into the guest: the module built for KERNEL in its
# own copy of the sources (so stock and debug builds do not collide), the
# static tools and the selftests.
vm-build:
	@mkdir -p build/$(KERNEL)
	@cp -u Kbuild build/$(KERNEL)/
	@rsync -a --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude='modules.order' \
		module include build/$(KERNEL)/
	@$(MAKE) -s -C $(KDIR) M=$(CURDIR)/build/$(KERNEL) W=1 modules >build/$(KERNEL)/make.log 2>&1 || \
		{ cat build/$(KERNEL)/make.log; exit 1; }
	@$(MAKE) -s -C userspace OUT=$(CURDIR)/build/user
	@$(MAKE) -s -C selftests/kipc OUT=$(CURDIR)/build/user/selftests

lint:
	scripts/lint

check:
	scripts/check

demo:
	scripts/demo

deps:
	scripts/deps

vm-shell:
	scripts/vm-run --kernel $(KERNEL) --interactive

bench:
	scripts/bench

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests/kipc clean
	rm -rf build

help:
	@sed -n '3,12p' Makefile | sed 's/^# //'
