#!/bin/sh
# title: the race lab: kernel threads lose updates; what each lock costs
# Demo step: the race lab.  Kernel threads, one per CPU, increment one shared
# counter; without synchronisation updates are lost, every primitive keeps
# them all, at its own price per increment.
echo "== Race lab: $(nproc) CPUs; kernel threads increment one shared counter"
echo "   (/sys/kernel/kipc/race/: threads, iterations, sync, run, results)"
kipcctl race --threads "$(nproc)" --iterations 2m
