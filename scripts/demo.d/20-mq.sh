# title: a message queue: processes exchanging messages, counters moving
q=demo-mq
d=/sys/kernel/kipc/mq/$q
echo "\$ kipcctl mq create $q --maxmsg 8 --msgsize 256"
kipcctl mq create $q --maxmsg 8 --msgsize 256
echo "\$ ls $d"
ls $d
echo
echo "# three producers send 40 messages each at priorities 0..2; two"
echo "# consumers join a second later and take 60 each.  The queue fills,"
echo "# producers block, then it drains; twice a second we read the counters"
for p in 0 1 2; do
	( i=0; while [ $i -lt 40 ]; do
		kipcctl mq send $q "from producer $p message $i" --prio $p
		i=$((i + 1)); done ) &
done
for c in 1 2; do
	( sleep 1; kipcctl --json mq recv $q --count 60 > /tmp/consumer$c.out ) &
done
n=0
while [ $n -lt 8 ]; do
	# received first: a message counts as sent before it can be received
	r=$(cat $d/received)
	printf 'curmsgs %-3s peak %-3s sent %-4s received %-4s blocked: senders %s receivers %s\n' \
		"$(cat $d/curmsgs)" "$(cat $d/peak)" "$(cat $d/sent)" "$r" \
		"$(cat $d/blocked_senders)" "$(cat $d/blocked_receivers)"
	sleep 0.5
	n=$((n + 1))
done
wait
echo
echo "\$ kipcctl mq attr $q"
kipcctl mq attr $q
echo "# messages the consumers got: $(cat /tmp/consumer1.out /tmp/consumer2.out | grep -c producer) of 120"
echo "\$ head -3 /tmp/consumer1.out"
head -3 /tmp/consumer1.out
echo
echo "# priorities: an urgent message overtakes a queued one"
kipcctl mq send $q "low" --prio 1
kipcctl mq send $q "urgent" --prio 30000
echo "\$ kipcctl --json mq recv $q --count 2"
kipcctl --json mq recv $q --count 2
echo
echo "# an empty queue and a timeout: ETIMEDOUT after 0.3 s"
echo "\$ kipcctl mq recv $q --timeout 0.3"
kipcctl mq recv $q --timeout 0.3
echo "\$ cat $d/timeouts $d/wait_hist"
cat $d/timeouts $d/wait_hist
echo
echo "\$ kipcctl ls mq"
kipcctl ls mq
echo "\$ kipcctl mq unlink $q; ls $d"
kipcctl mq unlink $q
ls $d 2>&1
echo "\$ cat /sys/kernel/kipc/stats/mq_sent /sys/kernel/kipc/stats/mq_received"
cat /sys/kernel/kipc/stats/mq_sent /sys/kernel/kipc/stats/mq_received
