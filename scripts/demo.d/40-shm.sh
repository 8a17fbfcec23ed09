#!/bin/sh
# title: shared memory: a region from the shell, then a ring of 4 producers and 4 consumers
# Demo step: named shared memory.  A region made and inspected from the
# shell, then 4 producer and 4 consumer processes filling and draining a
# ring in a region, guarded by kipc semaphores, while /sys shows the
# counters move.
S=/sys/kernel/kipc
echo "== Shared memory: a named region of kernel pages, mapped by processes"
kipcctl shm create demo-shm 10000	# rounded up to whole pages
echo "hello from the shell" | kipcctl shm write demo-shm
kipcctl shm write --offset 4096 demo-shm "page two"
kipcctl shm read --length 32 demo-shm
kipcctl shm read --offset 4096 --length 16 demo-shm
kipcctl shm stat demo-shm
echo "   (reading never-touched pages gives zeros without allocating them:"
echo "    resident_pages is $(cat $S/shm/demo-shm/resident_pages) of $(cat $S/shm/demo-shm/pages))"
kipcctl shm unlink demo-shm

echo
echo "== A bounded buffer across processes: 4 producers and 4 consumers share a"
echo "   ring of 64 slots (8 items each) in one region; semaphores count empty"
echo "   and full slots and guard the indices; items carry sequence and checksum."
echo "   (each of the 8 processes maps the ring twice: the copy inherited at fork"
echo "   and its own mmap of the region by name; every VMA counts in 'mappings')"
KIPC_RING_ITEMS=${KIPC_RING_ITEMS:-100000} /opt/kipc/selftests/shm_ring_test \
	>/tmp/ring.out 2>&1 &
pid=$!
printf '   %-8s %-8s %-8s %-8s %-10s %-10s\n' mappings faults resident \
	empty full "full posts"
while kill -0 "$pid" 2>/dev/null; do
	for d in "$S"/shm/t-ring-*; do
		[ -d "$d" ] || continue
		n=${d##*/t-ring-}
		printf '   %-8s %-8s %-8s %-8s %-10s %-10s\n' \
			"$(cat "$d/mappings" 2>/dev/null)" \
			"$(cat "$d/faults" 2>/dev/null)" \
			"$(cat "$d/resident_pages" 2>/dev/null)" \
			"$(cat "$S/sem/t-ring-empty-$n/value" 2>/dev/null)" \
			"$(cat "$S/sem/t-ring-full-$n/value" 2>/dev/null)" \
			"$(cat "$S/sem/t-ring-full-$n/posts" 2>/dev/null)"
	done
	sleep 1
done
wait "$pid"
rc=$?
grep -E 'items|region /sys|^(not )?ok' /tmp/ring.out | sed 's/^# /   /'
echo "   totals: $(for f in shm_regions shm_maps shm_faults shm_mappings; do
	printf '%s=%s ' $f "$(cat $S/stats/$f)"; done)"
exit $rc
