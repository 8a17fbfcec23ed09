# title: semaphores: the lost-update race between processes, then a kipc semaphore
# Demo step: kernel-managed named semaphores.  Four processes each add 1 to a
# counter kept in a file, 50 times, by read-increment-write: first without
# any lock (updates get lost), then guarded by one kipc semaphore (exact).
set -u
N=4
ROUNDS=50
F=/tmp/kipc-demo-counter
SEM=demo-counter

bump() {	# $1: "lock" to guard each round with the semaphore
	i=0
	while [ $i -lt $ROUNDS ]; do
		[ "$1" = lock ] && kipcctl sem wait $SEM
		n=$(cat $F 2>/dev/null)
		echo $(( ${n:-0} + 1 )) > $F
		[ "$1" = lock ] && kipcctl sem post $SEM
		i=$((i + 1))
	done
}

race() {
	echo 0 > $F
	p=0
	while [ $p -lt $N ]; do
		bump "$1" &
		p=$((p + 1))
	done
	wait
	cat $F
}

echo "== Semaphores: $N processes x $ROUNDS read-increment-write rounds on a shared file"
echo "-- without a lock:"
got=$(race none)
echo "   final count $got of $((N * ROUNDS))  (lost updates: $((N * ROUNDS - got)))"

echo "-- with one kipc semaphore (kipcctl sem create $SEM --value 1):"
kipcctl sem create --value 1 $SEM || exit 1
got=$(race lock)
echo "   final count $got of $((N * ROUNDS))"

echo "-- the semaphore in /sys/kernel/kipc/sem/$SEM/:"
for f in value waiters posts waits handles; do
	printf '   %-8s %s\n' $f "$(cat /sys/kernel/kipc/sem/$SEM/$f)"
done

echo "-- a robust holder: 'sem wait --undo' is SIGKILLed while holding the unit"
kipcctl sem wait --undo --hold 30 $SEM &
holder=$!
sleep 1
kipcctl sem get $SEM | sed 's/^/   /'
kill -9 $holder
wait $holder 2>/dev/null
echo "   after the kill:"
kipcctl sem wait -t 5 $SEM && echo "   the next waiter got the unit back (told: owner died)"
kipcctl sem post $SEM
echo "   units returned by dead holders: $(cat /sys/kernel/kipc/sem/$SEM/undo_returned)"
kipcctl sem unlink $SEM
rm -f $F
