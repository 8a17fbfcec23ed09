# title: the module, its device and its /sys tree
echo "\$ lsmod | grep kipc"
lsmod | grep '^kipc'
echo
echo "\$ modinfo kipc"
modinfo kipc | grep -v '^filename\|^srcversion\|^vermagic\|^depends\|^retpoline\|^intree\|^name'
echo
echo "\$ ls -l /dev/kipc"
ls -l /dev/kipc
echo
echo "\$ find /sys/kernel/kipc -maxdepth 2 | sort"
find /sys/kernel/kipc -maxdepth 2 | sort
echo
echo "\$ cat /sys/kernel/kipc/version"
cat /sys/kernel/kipc/version
echo
echo "\$ kipcctl stat"
kipcctl stat
