#!/usr/bin/env bash
# softroce-vm.sh - run commands inside a throw-away QEMU guest that has a real
# RDMA verbs device (Soft-RoCE, kernel driver rdma_rxe), so librdmacm / rsocket
# code can be exercised on a host without RDMA hardware or kernel RDMA support.
# rdmasockets' own copy (adopted from the team's reference harness); scripts/rdma-tests.sh drives it.
#
# Usage:
#   softroce-vm.sh build          build (idempotently) kernel + initramfs under $SOFTROCE_CACHE
#   softroce-vm.sh run 'CMD'      boot the guest, set up rxe0, run CMD with bash, stream its
#                                 stdout/stderr, power off, exit with CMD's exit status
#                                 (125 = guest never reported a status: crash/timeout)
#   softroce-vm.sh selftest       run ibv_devinfo, rping, rstream, riostream, java -version
#   softroce-vm.sh info           show paths and versions
#
# Guest while CMD runs:
#   /mnt/host   <- $SOFTROCE_SHARE (host dir, read-write, default $PWD); CMD's cwd
#   $JAVA_HOME  <- the host JDK at the SAME path (read-only); $JAVA_HOME/bin is on PATH
#   eth0        10.0.2.15/24, virtio-net on QEMU user-mode net (restrict=on: no outside access)
#   rxe0        Soft-RoCE on eth0 (RoCEv2 GID index 1 = ::ffff:10.0.2.15); RDMA-CM
#               connections to 10.0.2.15 loop back inside rxe0 (client+server in one guest)
#   env         SOFTROCE_IP=10.0.2.15, JAVA_HOME, PATH; runs as root, ulimit -l unlimited
#   rootfs      Debian bookworm minbase + rdma-core, ibverbs-providers, ibverbs-utils,
#               rdmacm-utils, perftest, iproute2, kmod, procps; lives in RAM (initramfs)
#
# Environment knobs (all optional):
#   SOFTROCE_CACHE    build/cache dir                   (default ~/.cache/softroce)
#   SOFTROCE_SHARE    host dir mounted at /mnt/host      (default $PWD)
#   JAVA_HOME         host JDK exported to the guest     (default /usr/lib/jvm/temurin-25-jdk-amd64;
#                     skipped if it has no bin/java)
#   SOFTROCE_MEM      guest RAM                          (default 4G)
#   SOFTROCE_CPUS     guest vCPUs                        (default: host CPU count)
#   SOFTROCE_TIMEOUT  seconds before the VM is killed    (default 900)
#   SOFTROCE_ACCEL    auto | kvm | tcg                   (default auto, see pick_accel)
#   SOFTROCE_VERBOSE  1 = print kernel console + init trace after the run
#   SOFTROCE_APPEND   extra kernel command line
#   SOFTROCE_KERNEL_PKG  Debian kernel package (default: what linux-image-amd64 depends on)
#   SOFTROCE_MIRROR   Debian mirror for debootstrap      (default: the host's own apt source for $SUITE)
#
# Requirements: build: root, Debian bookworm host with apt access (installs qemu-system-x86,
# debootstrap, cpio, kmod, xz-utils if missing).  run: qemu + (for KVM) access to /dev/kvm.
set -euo pipefail

CACHE=${SOFTROCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/softroce}
SHARE=${SOFTROCE_SHARE:-$PWD}
JDK=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
MEM=${SOFTROCE_MEM:-4G}
CPUS=${SOFTROCE_CPUS:-$(nproc)}
TIMEOUT=${SOFTROCE_TIMEOUT:-900}
VERBOSE=${SOFTROCE_VERBOSE:-0}
SUITE=bookworm

# The Debian mirror the host's apt already uses (deb822 .sources or one-line .list files).
host_mirror() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f $f ]] || continue
        awk -v suite="$SUITE" '
            /^URIs:/ {uri=$2} /^Suites:/ {for (i = 2; i <= NF; i++) if ($i == suite) ok=1}
            /^$/ {if (ok && uri) {print uri; exit} uri=""; ok=0}
            END {if (ok && uri) print uri}' "$f"
    done | head -1 | grep . && return
    awk -v suite="$SUITE" '$1 == "deb" && $3 == suite {print $2; exit}' \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -1
}
MIRROR=${SOFTROCE_MIRROR:-$(host_mirror)}

# Userland put into the guest on top of debootstrap's minbase.
GUEST_PKGS=rdma-core,ibverbs-providers,ibverbs-utils,rdmacm-utils,perftest,iproute2,kmod,procps

# Kernel modules copied into the guest (plus their dependencies, resolved with modprobe).
# The guest /init loads the first group; the rest load on demand (e.g. `ip link add type veth`).
# crc32_generic / crc32-pclmul: rdma_rxe allocates a "crc32" shash for the RoCE ICRC.
GUEST_MODS="virtio_pci virtio_net 9pnet_virtio 9p crc32_generic crc32-pclmul rdma_rxe ib_uverbs rdma_ucm
            ib_umad veth dummy"

log() { echo "softroce: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ================================================================ build ====
kernel_pkg() {
    if [[ -n ${SOFTROCE_KERNEL_PKG:-} ]]; then echo "$SOFTROCE_KERNEL_PKG"; return; fi
    # linux-image-amd64 is the meta package; it depends on the current ABI package
    # (the -cloud-amd64 flavour lacks InfiniBand, do not use it).
    apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/{print $2; exit}'
}

build_kernel() {
    local pkg=$1 kdir=$CACHE/kernel
    [[ -f $kdir/.done-$pkg ]] && return 0
    log "downloading + extracting $pkg"
    rm -rf "$kdir"; mkdir -p "$CACHE/debs" "$kdir"
    # apt-get download writes into the cwd (a warning about the _apt sandbox user is harmless)
    ( cd "$CACHE/debs" && { ls "${pkg}"_*.deb >/dev/null 2>&1 || apt-get download -q "$pkg"; } )
    dpkg-deb -x "$CACHE"/debs/"${pkg}"_*.deb "$kdir/pkg"
    local kver; kver=$(ls "$kdir/pkg/lib/modules")
    cp "$kdir/pkg/boot/vmlinuz-$kver" "$kdir/vmlinuz"
    # Also extract the uncompressed ELF vmlinux (the bzImage payload is xz): QEMU boots
    # it directly through its PVH entry point (CONFIG_PVH=y), skipping the firmware
    # and the in-guest xz decompression, which take ~5 s under TCG.
    local off; off=$(grep -abo $'\xfd7zXZ' "$kdir/vmlinuz" | head -1 | cut -d: -f1)
    tail -c +$((off + 1)) "$kdir/vmlinuz" | xz -dc --single-stream > "$kdir/vmlinux" 2>/dev/null || true
    head -c 4 "$kdir/vmlinux" | grep -q ELF || rm -f "$kdir/vmlinux"
    echo "$kver" > "$kdir/kver"
    # The .deb ships no modules.dep (depmod runs at install time): generate it.
    depmod -b "$kdir/pkg" "$kver"
    touch "$kdir/.done-$pkg"
}

build_rootfs() {
    local root=$CACHE/rootfs
    [[ -f $root/.debootstrap-done ]] && return 0
    log "debootstrap $SUITE minbase + $GUEST_PKGS"
    rm -rf "$root"; mkdir -p "$CACHE/debootstrap-debs"
    debootstrap --variant=minbase --cache-dir="$CACHE/debootstrap-debs" \
        --include="$GUEST_PKGS" "$SUITE" "$root" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
        || { tail -20 "$CACHE/debootstrap.log" >&2; die "debootstrap failed"; }
    # Trim what a throw-away test VM never needs: the whole rootfs becomes the
    # initramfs, and unpacking it costs ~25 ms/MB under TCG.
    rm -rf "$root"/usr/share/{doc,man,info,locale} "$root"/var/cache/apt/* \
           "$root"/var/lib/apt/lists/* "$root"/usr/lib/udev/hwdb.bin "$root"/usr/lib/udev/hwdb.d \
           "$root"/usr/lib/x86_64-linux-gnu/gconv "$root"/var/cache/debconf/*-old
    touch "$root/.debootstrap-done"
}

install_modules() {
    local root=$CACHE/rootfs kdir=$CACHE/kernel kver m f
    kver=$(cat "$kdir/kver")
    rm -rf "$root/lib/modules"; mkdir -p "$root/lib/modules/$kver"
    for m in $GUEST_MODS; do
        # prints "insmod /abs/path.ko" for the module and each of its dependencies
        modprobe -d "$kdir/pkg" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
    done | sort -u | while read -r f; do
        install -D -m644 "$f" "$root/lib/modules/$kver/${f#"$kdir/pkg/lib/modules/$kver/"}"
    done
    cp "$kdir/pkg/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} "$root/lib/modules/$kver/"
    depmod -b "$root" "$kver"
}

write_guest_files() {
    local root=$CACHE/rootfs
    echo softroce > "$root/etc/hostname"
    printf '127.0.0.1 localhost\n10.0.2.15 softroce\n::1 localhost\n' > "$root/etc/hosts"
    # /init = PID 1 of the guest (the whole rootfs is the initramfs, no switch_root).
    cat > "$root/init" <<'EOF'
#!/bin/bash
# Guest PID 1: mount, load modules, network + rxe0, run /run/ctl/cmd.sh, power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm; mount -t devpts devpts /dev/pts; mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp; mount -t tmpfs tmpfs /run
exec </dev/null >/dev/console 2>&1
grep -qw softroce.verbose /proc/cmdline && set -x

poweroff_now() { echo o > /proc/sysrq-trigger; sleep 10; }   # ACPI power off -> QEMU exits

modprobe -a virtio_pci virtio_net 9pnet_virtio 9p crc32-pclmul crc32_generic rdma_rxe rdma_ucm

# 9p shares: ctl = per-run host dir (cmd.sh, env.sh in; stdout, stderr, status out),
# host = $SOFTROCE_SHARE, jdk = host JDK (read-only, page-cached: cache=loose)
O=trans=virtio,version=9p2000.L,msize=512000
mkdir -p /run/ctl /mnt/host
mount -t 9p -o $O ctl /run/ctl || { echo "init: cannot mount the ctl share"; poweroff_now; }
. /run/ctl/env.sh
mount -t 9p -o $O host /mnt/host || echo "init: cannot mount the host share"
if [ -n "${JAVA_HOME:-}" ]; then
    mkdir -p "$JAVA_HOME"
    mount -t 9p -o $O,ro,cache=loose jdk "$JAVA_HOME" && export JAVA_HOME PATH=$JAVA_HOME/bin:$PATH
fi

hostname softroce
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
rdma link add rxe0 type rxe netdev eth0
# The RoCEv2 GID of 10.0.2.15 is added asynchronously; RDMA-CM cannot bind to the
# address before it exists, so wait (up to 10 s) for it.
{ set +x; } 2>/dev/null
for i in $(seq 200); do
    cat /sys/class/infiniband/rxe0/ports/1/gids/* 2>/dev/null | grep -q ':ffff:0a00:020f$' && break
    sleep 0.05
done
grep -qw softroce.verbose /proc/cmdline && set -x
ulimit -l unlimited
export SOFTROCE_IP=10.0.2.15
cd /mnt/host
cut -d' ' -f1 /proc/uptime > /run/ctl/uptime-before-cmd
bash /run/ctl/cmd.sh >/run/ctl/stdout 2>/run/ctl/stderr
echo $? > /run/ctl/status
poweroff_now
EOF
    chmod 755 "$root/init"
}

pack_initrd() {
    local root=$CACHE/rootfs
    log "packing initramfs"
    # Uncompressed newc cpio: QEMU copies it into guest RAM, nothing to decompress.
    ( cd "$root" && find . -path ./.debootstrap-done -prune -o -print0 \
        | cpio --null -o -H newc --quiet ) > "$CACHE/initrd.cpio.tmp"
    mv "$CACHE/initrd.cpio.tmp" "$CACHE/initrd.cpio"
}

cmd_build() {
    [[ $(id -u) == 0 ]] || die "build needs root (debootstrap, chroot)"
    [[ -n $MIRROR ]] || die "no Debian $SUITE apt source found on the host; set SOFTROCE_MIRROR"
    local need=()
    command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
    command -v debootstrap >/dev/null || need+=(debootstrap)
    command -v cpio >/dev/null || need+=(cpio)
    command -v depmod >/dev/null || need+=(kmod)
    command -v xz >/dev/null || need+=(xz-utils)
    if ((${#need[@]})); then
        log "apt-get install ${need[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
    fi
    mkdir -p "$CACHE"
    local pkg; pkg=$(kernel_pkg); [[ -n $pkg ]] || die "cannot determine the kernel package"
    build_kernel "$pkg"
    build_rootfs
    # cheap steps, always redone so that edits to this script take effect
    install_modules
    write_guest_files
    pack_initrd
    cmd_info
}

# ================================================================== run ====
# KVM needs hardware-assisted KVM (kvm_intel / kvm_amd).  Where /dev/kvm comes from
# kvm_pvm (PVM, "pagetable-based virtual machine", used for nested virtualization in
# some nested-virtualization hosts) only PVM-enabled guest kernels run at native speed; a stock
# Debian kernel is executed by KVM's instruction emulator there (minutes to boot) and
# dies with "KVM internal error. Suberror: 1 / emulation failure" (on cmpxchg16b).
# So "auto" uses KVM only with kvm_intel/kvm_amd, otherwise TCG (pure emulation).
pick_accel() {
    local a=${SOFTROCE_ACCEL:-auto}
    if [[ $a == auto ]]; then
        if [[ -r /dev/kvm && -w /dev/kvm ]] && [[ -d /sys/module/kvm_intel || -d /sys/module/kvm_amd ]]; then
            a=kvm
        else
            a=tcg
        fi
    fi
    case $a in
        kvm) echo "-accel kvm -cpu host" ;;
        tcg) echo "-accel tcg,thread=multi -cpu max" ;;
        *) die "SOFTROCE_ACCEL must be auto, kvm or tcg" ;;
    esac
}

cmd_run() {
    (($# >= 1)) || die "usage: $0 run 'command'"
    [[ -f $CACHE/initrd.cpio && -f $CACHE/kernel/vmlinuz ]] || die "not built; run: $0 build"
    [[ -d $SHARE ]] || die "SOFTROCE_SHARE=$SHARE is not a directory"
    local run qpid="" t1="" t2=""
    run=$(mktemp -d "${TMPDIR:-/tmp}/softroce-run.XXXXXX")
    # on exit or ^C: stop what we started (by PID) and remove the run dir
    trap '[[ -n $qpid$t1$t2 ]] && kill $qpid $t1 $t2 2>/dev/null; rm -rf "$run"' EXIT
    trap 'exit 130' INT TERM

    printf '%s\n' "$*" > "$run/cmd.sh"
    : > "$run/stdout"; : > "$run/stderr"; : > "$run/env.sh"
    local jdkfs=()
    if [[ -x $JDK/bin/java ]]; then
        printf 'JAVA_HOME=%q\n' "$JDK" > "$run/env.sh"
        jdkfs=(-virtfs "local,path=$JDK,mount_tag=jdk,security_model=none,readonly=on")
    fi
    local append="console=ttyS0 panic=-1 quiet"
    [[ $VERBOSE == 1 ]] && append="console=ttyS0 panic=-1 softroce.verbose"
    append+=" ${SOFTROCE_APPEND:-}"
    local accel; accel=$(pick_accel)
    # Prefer the ELF vmlinux (PVH boot); qboot is a tiny firmware that just jumps to the
    # kernel (SeaBIOS + the NIC's iPXE ROM cost seconds under TCG; romfile= drops the ROM).
    local kernel=$CACHE/kernel/vmlinux; [[ -f $kernel ]] || kernel=$CACHE/kernel/vmlinuz
    local bios=(); [[ -f /usr/share/qemu/qboot.rom ]] && bios=(-bios /usr/share/qemu/qboot.rom)

    # shellcheck disable=SC2086  # $accel is a list of options
    timeout -k 5 "$TIMEOUT" \
    qemu-system-x86_64 $accel -smp "$CPUS" -m "$MEM" "${bios[@]}" \
        -nographic -no-reboot -serial "file:$run/console.log" -monitor none \
        -kernel "$kernel" -initrd "$CACHE/initrd.cpio" -append "$append" \
        -netdev user,id=n0,restrict=on -device virtio-net-pci,netdev=n0,romfile= \
        -virtfs "local,path=$run,mount_tag=ctl,security_model=none" \
        -virtfs "local,path=$SHARE,mount_tag=host,security_model=none" \
        "${jdkfs[@]}" </dev/null >"$run/qemu.log" 2>&1 &
    qpid=$!
    # Stream the command's output while the guest runs; tail exits once qemu is gone
    # (after a last read), so nothing written before power-off is lost.
    tail -q -s 0.2 -n +1 -f --pid=$qpid "$run/stdout" & t1=$!
    tail -q -s 0.2 -n +1 -f --pid=$qpid "$run/stderr" >&2 & t2=$!
    local qrc=0; wait $qpid || qrc=$?
    wait $t1 $t2 || true
    qpid="" t1="" t2=""
    if [[ $VERBOSE == 1 ]]; then
        log "---- guest console ----"; cat "$run/console.log" >&2
        log "---- guest uptime when the command started: $(cat "$run/uptime-before-cmd" 2>/dev/null) s"
    fi
    if [[ ! -s $run/status ]]; then
        log "guest did not report an exit status (timeout/qemu rc=$qrc); console tail:"
        tail -n 30 "$run/console.log" >&2; cat "$run/qemu.log" >&2
        exit 125
    fi
    exit "$(cat "$run/status")"
}

cmd_selftest() {
    cmd_run '
set -e
echo "### ibv_devices"; ibv_devices
echo "### ibv_devinfo"; ibv_devinfo -d rxe0
echo "### rdma link"; rdma link
echo "### rping"
rping -s -a $SOFTROCE_IP -C 3 & sleep 1
rping -c -a $SOFTROCE_IP -C 3 -v; wait
echo "### rstream (rsockets), 64 KiB x 1000"
rstream -b $SOFTROCE_IP -S 65536 -C 1000 >/dev/null & sleep 1
rstream -s $SOFTROCE_IP -S 65536 -C 1000; wait
echo "### riostream (rsockets + riomap), 64 KiB x 1000"
riostream -b $SOFTROCE_IP -S 65536 -C 1000 >/dev/null & sleep 1
riostream -s $SOFTROCE_IP -S 65536 -C 1000; wait
if command -v java >/dev/null; then echo "### java -version"; time java -version; fi
echo "### selftest OK"'
}

cmd_info() {
    local root=$CACHE/rootfs
    echo "cache:     $CACHE"
    echo "kernel:    $(cat "$CACHE/kernel/kver" 2>/dev/null || echo '(not built)')" \
         "($(cd "$CACHE/debs" 2>/dev/null && echo linux-image-*.deb))"
    echo "initrd:    $CACHE/initrd.cpio ($(du -h "$CACHE/initrd.cpio" 2>/dev/null | cut -f1))"
    [[ -f $root/var/lib/dpkg/status ]] && echo "guest pkgs: $(dpkg-query --admindir="$root/var/lib/dpkg" \
        -W -f '${Package}=${Version} ' rdma-core ibverbs-providers librdmacm1 rdmacm-utils perftest)"
    echo "accel:     $(pick_accel)"
    echo "share:     $SHARE -> /mnt/host"
    echo "jdk:       $JDK"
}

case ${1:-} in
    build)    cmd_build ;;
    run)      shift; cmd_run "$@" ;;
    selftest) cmd_selftest ;;
    info)     cmd_info ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
esac
