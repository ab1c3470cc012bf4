#!/usr/bin/env bash
# softroce/code-footprint.sh: shows that under TCG the guest kernel's cost per RDMA message grows with the
# amount of distinct user code run between messages. C rstream (64 B latency, nonblocking) runs with an
# LD_PRELOAD shim whose rsend first calls N distinct tiny functions through a table, for several N; the
# guest's kernel CPU time per transfer (/proc/stat: rxe's requester, responder and completer, wherever they
# run) is printed beside the latency. On hardware N such calls cost nanoseconds and leave the kernel
# alone; under QEMU's TCG the kernel's own code slows down as N grows (its translated blocks and TLB
# entries are evicted by the user code's). A JVM's hot loop runs far more distinct code per message than C
# rstream's: this is why the kernel part of a Java rsocket's message costs more in this guest
# (providers/native/README.md). Run from the repository root as root; about 3 minutes.
#
#   softroce/code-footprint.sh [N ...]      default N: 0 250 1000 4000
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
command -v gcc >/dev/null || { echo "code-footprint: needs gcc on the host" >&2; exit 1; }
work=softroce/target/footprint
mkdir -p "$work"
counts=("${@:-0 250 1000 4000}")
read -r -a counts <<<"${counts[*]}"
max=8192

# The shim: f0..f(max-1), each 64-byte aligned (its own translated block), called in order before rsend.
{
    printf '#define _GNU_SOURCE\n#include <dlfcn.h>\n#include <stdlib.h>\n#include <sys/types.h>\n'
    printf 'volatile int sink;\n'
    for ((i = 0; i < max; i++)); do printf '__attribute__((noinline, aligned(64))) void f%d(void) { sink += %d; }\n' $i $i; done
    printf 'static void (*const fs[%d])(void) = {' $max
    for ((i = 0; i < max; i++)); do printf 'f%d,' $i; done
    printf '};\n'
    cat <<EOF
typedef ssize_t (*rsend_fn)(int, const void *, size_t, int);
ssize_t rsend(int s, const void *b, size_t l, int flags)
{
    static rsend_fn real;
    static int n;
    if (!real) {
        real = (rsend_fn)dlsym(RTLD_NEXT, "rsend");
        const char *e = getenv("FOOTPRINT_N");
        n = e ? atoi(e) : 0;
        if (n < 0 || n > $max) n = $max;
    }
    for (int i = 0; i < n; i++) fs[i]();
    return real(s, b, l, flags);
}
EOF
} > "$work/footprint.c"
gcc -O1 -shared -fPIC -o "$work/footprint.so" "$work/footprint.c" -ldl

cat > "$work/guest.sh" <<EOF
set -u
# The whole guest's CPU time (/proc/stat, all CPUs): rxe's work runs in the caller's system call or in
# softirq and worker context, on either vCPU, so one process's own times would miss part of it.
cpu() { awk '/^cpu / { print \$2 + \$3, \$4 + \$7 + \$8 }' /proc/stat; }
printf '%8s %10s %12s %18s %18s\n' N iterations usec/xfer 'kernel usec/xfer' 'user usec/xfer'
port=7300
for n in ${counts[*]}; do
    # Fewer iterations as N grows: each costs more.
    it=\$(( n <= 250 ? 40000 : n <= 1000 ? 10000 : 2500 ))
    port=\$((port + 1))
    FOOTPRINT_N=\$n LD_PRELOAD=$work/footprint.so timeout 300 rstream -b \$SOFTROCE_IP -p \$port -S 64 -C 1 -I \$it >/dev/null 2>&1 &
    server=\$!
    sleep 1
    read -r u0 k0 <<<"\$(cpu)"
    usec=\$(FOOTPRINT_N=\$n LD_PRELOAD=$work/footprint.so timeout 300 rstream -s \$SOFTROCE_IP -p \$port -S 64 -C 1 -I \$it | awk '/custom/ { print \$NF }')
    read -r u1 k1 <<<"\$(cpu)"
    kill \$server 2>/dev/null; wait \$server 2>/dev/null
    # /proc/stat counts in 1/100 s; a transfer is half an iteration's round trip, as rstream's usec/xfer.
    awk -v n=\$n -v it=\$it -v usec="\$usec" -v u=\$((u1 - u0)) -v k=\$((k1 - k0)) \\
        'BEGIN { printf "%8d %10d %12s %18.1f %18.1f\n", n, it, usec, k * 1e4 / (2 * it), u * 1e4 / (2 * it) }'
done
EOF
SOFTROCE_SHARE=$PWD softroce/softroce-vm.sh run "bash $work/guest.sh"
