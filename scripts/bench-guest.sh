#!/bin/sh
# Runs in the kipc guest (scripts/bench): lift the IPC limits the baselines
# need for 64 KiB messages, run kipc-bench once, and send every result file
# and the rt-tests figures back on stdout between markers (the guest has no
# shared disk).  Arguments go to kipc-bench.
echo 65536 > /proc/sys/kernel/msgmax
echo 4194304 > /proc/sys/kernel/msgmnb
echo 65536 > /proc/sys/fs/mqueue/msgsize_max
echo 64 > /proc/sys/fs/mqueue/msg_max
echo 20000 > /proc/sys/fs/mqueue/queues_max
ulimit -q unlimited 2>/dev/null

out=/tmp/kipc-bench
kipc-bench --output-dir "$out" "$@" > /dev/null
rc=$?
for f in results.md results.json results.csv; do
	echo "==KIPC-BENCH-BEGIN $f=="
	[ -f "$out/$f" ] && cat "$out/$f"
	echo "==KIPC-BENCH-END $f=="
done

# the outside tools, beside kipc-bench's own POSIX mq and SysV sem figures
rt() {
	name=$1
	shift
	echo "==KIPC-BENCH-BEGIN $name.txt=="
	echo "\$ $name $*"
	/extra/ld-linux-x86-64.so.2 --library-path /extra "/extra/$name" "$@" 2>&1 |
		tr '\033' ' ' | grep -v '^ *$' | tail -n 8
	echo "==KIPC-BENCH-END $name.txt=="
}
rt pmqtest -S -q -l "${KIPC_RT_LOOPS:-2000}" -i 200 -d 0
rt svsematest -S -q -l "${KIPC_RT_LOOPS:-2000}" -i 200 -d 0
echo "==KIPC-BENCH-RC $rc=="
exit $rc
