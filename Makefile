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

# Nothing here is computed when the Makefile is read: make demo and make
# check install the packages first, so the kernel trees may not exist yet.
# KDIR: the running kernel's build tree, else Debian 12's headers (found
# when the recipe runs).
KDIR ?= $(if $(wildcard /lib/modules/$(shell uname -r)/build),/lib/modules/$(shell uname -r)/build)
KERNEL ?= 6.1
V ?= 0

.PHONY: all module userspace selftests clean lint check demo deps vm-shell \
	vm-build bench help

all: module userspace selftests

module:
	$(MAKE) -C $(or $(KDIR),$$(scripts/kernel env 6.1 | sed -n 's/^KDIR=//p')) \
		M=$(CURDIR) W=1 modules

userspace:
	$(MAKE) -C userspace

selftests: userspace
	$(MAKE) -C selftests/kipc KSRC=$$(scripts/kernel-src)

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
	@$(MAKE) -s -C selftests/kipc OUT=$(CURDIR)/build/user/selftests \
		KSRC=$$(scripts/kernel-src)

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
	rm -f module/*.o module/.*.cmd module/*.ko module/*.mod module/*.mod.c \
		module/modules.order modules.order Module.symvers .*.cmd
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests/kipc clean
	rm -rf build

help:
	@sed -n '3,12p' Makefile | sed 's/^# //'
