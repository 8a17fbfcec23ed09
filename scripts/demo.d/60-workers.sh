#!/bin/sh
# title: processes talking to a pool of kernel threads through queues
# Demo step: processes talk to kernel threads exactly as to each other,
# through kipc queues.  An echo pool answers three sender processes, is
# resized under way, and a checksum pool computes CRC32C in the kernel.
echo "== Kernel worker pools: processes send requests, kernel threads answer"
kipcctl mq create demo-req --maxmsg 16 --msgsize 128 >/dev/null
kipcctl mq create demo-rep --maxmsg 16 --msgsize 128 >/dev/null
id=$(kipcctl worker start --threads 2 echo demo-req demo-rep) || exit 1
echo "   echo pool $id on demo-req -> demo-rep: /sys/kernel/kipc/workers/$id/"
for p in 1 2 3; do
	(
		for i in 1 2 3 4; do
			printf 'request %s from process %s (prio %s)' \
				"$i" "$$-$p" "$p" |
				kipcctl mq send demo-req --prio "$p"
		done
	) &
done
wait
kipcctl mq recv demo-rep --count 12
kipcctl worker set "$id" --threads 4
echo "   resized to $(cat /sys/kernel/kipc/workers/$id/threads) threads:"
ps -o pid,comm 2>/dev/null | grep "kipc_wk$id/" || grep -l "kipc_wk$id/" /proc/[0-9]*/comm 2>/dev/null
echo
cid=$(kipcctl worker start checksum demo-req demo-rep) || exit 1
kipcctl worker stop "$id"
printf '123456789' | kipcctl mq send demo-req
printf '   CRC32C("123456789") from kernel pool %s: 0x' "$cid"
kipcctl mq recv demo-rep | od -An -tx4 | tr -d ' '
echo "   (the standard check value is 0xe3069283)"
kipcctl worker ls
kipcctl worker stop "$cid"
kipcctl mq unlink demo-req
kipcctl mq unlink demo-rep
