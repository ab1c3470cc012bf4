#!/usr/bin/env bash
# scripts/rdma-tests.sh: runs the native provider's tests on a real verbs device: the Soft-RoCE device
# rxe0 inside a throw-away QEMU guest (softroce/softroce-vm.sh), with this machine's JDK 25 and a build
# made here (the guest has no Maven). Needs root and apt the first time (QEMU, debootstrap, a Debian
# kernel; about a minute, cached in ~/.cache/softroce). Exit status: the tests' (125: the guest died).
#
#   scripts/rdma-tests.sh            build, then run every native-provider test in the guest: the provider's
#                                    own tests, the verbs conformance suites, the rsocket conformance suites
#   scripts/rdma-tests.sh verbs      only the verbs conformance suites (package ...conformance.verbs)
#   scripts/rdma-tests.sh rsocket    only the rsocket conformance suites (package ...conformance.rsocket)
#   scripts/rdma-tests.sh unit       only the provider's own tests (ABI, availability, waiting machinery)
#   scripts/rdma-tests.sh suites     the provider's own tests and both conformance suites (what CI runs;
#                                    about 6 minutes)
#   scripts/rdma-tests.sh interop    Java against C librdmacm: the JUnit interop tests (C rstream, the
#                                    C rsocket API peer src/test/c/rsocket_peer.c: MSG_PEEK, half-close,
#                                    rpoll, killed C peers; the C riomap peer, as in iomap), then scripts/guest-stream.sh's matrix of
#                                    rsock stream against rstream and its dead-peer runs (about 15 min)
#   scripts/rdma-tests.sh iomap      direct placement against C librdmacm: the JUnit test of the C riomap peer
#                                    src/test/c/riomap_peer.c (Java riowrite into C mappings, C riowrite into
#                                    Java ones, unmapped offsets, riounmap both ways), then guest-stream.sh's
#                                    iostream table (rsock iostream against riostream, -T v) and its iobench
#                                    (riowrite vs rsend bandwidth, ratios)
#   scripts/rdma-tests.sh nio        unmodified programs through `rsock run --provider native` (tools' RunCommandTest:
#                                    a java.net echo, the JDK HttpClient against the JDK HttpServer, a Netty NIO echo;
#                                    over rsockets with --route all, over TCP with --route none, the engine's socket
#                                    counter telling which; rule files) on the guest's address
#   scripts/rdma-tests.sh perf       benchmark: rsock stream vs rsock stream and rstream vs rstream in one
#                                    run, printing the Java/C ratios (scripts/guest-stream.sh perf); Java on C2
#                                    alone (-XX:-TieredCompilation), PERF_SCALE=20, PERF_WARMUP=3 unless set
#   scripts/rdma-tests.sh -- ARGS    any JUnit console selectors, e.g. -- --select-method 'Cls#method'
#   GUEST_STREAM="perf dead" ...     run these scripts/guest-stream.sh modes (after the JUnit tests, if any)
#   SOFTROCE_VERBOSE=1 scripts/...   also print the guest's console
#
# Left out: NetworkNamespaceConformance. It needs a verbs device inside each of two network namespaces
# (an rxe device per veth end); the guest has one rxe device on eth0, and the suite's two-host scenario
# is what the tcp provider runs on the build machines.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
source scripts/jdk.sh

base=io.rdmasockets.provider.ibverbs
# The module whose tests run in the guest, and JVM options of the JUnit run.
module=providers/native
junit_opts=""
# The conformance suites' wakeup tests must not be rescued by wake_up_interval's 500 ms backstop
# (the tcp provider's module runs them so too).
no_backstop="-Drdmasockets.rsocket.config.dir=testsuite/config/no-wake-up-backstop"
selectors=()
# What scripts/guest-stream.sh runs after the JUnit tests (nothing: only JUnit).
stream_modes=()
case "${1:-all}" in
    all)     selectors=(--select-package "$base") ;;
    verbs)   selectors=(--select-package "$base.conformance.verbs") ;;
    rsocket) selectors=(--select-package "$base.conformance.rsocket"); junit_opts=$no_backstop ;;
    unit)    selectors=(--select-package "$base.internal" --select-class "$base.NativeVerbsProviderTest") ;;
    suites)  selectors=(--select-package "$base.internal" --select-class "$base.NativeVerbsProviderTest"
                 --select-package "$base.conformance.verbs" --select-package "$base.conformance.rsocket")
             junit_opts=$no_backstop ;;
    interop) selectors=(--select-package "$base.interop"); stream_modes=(matrix dead) ;;
    iomap)   selectors=(--select-class "$base.interop.RiomapInteropTest"); stream_modes=(iostream iobench) ;;
    nio)     module=tools; selectors=(--select-class io.rdmasockets.tools.run.RunCommandTest)
             # The programs' JVMs start under emulation: minutes, not seconds.
             junit_opts="-Drdmasockets.test.provider=native -Drdmasockets.test.runTimeoutSec=600" ;;
    perf)    stream_modes=(perf) ;;
    --)      shift; selectors=("$@") ;;
    *)       echo "usage: $0 [all|verbs|rsocket|unit|interop|iomap|nio|perf|-- junit-console-selectors...]" >&2; exit 2 ;;
esac
# GUEST_STREAM="perf dead" (say) runs those guest-stream.sh modes instead, e.g. after -- selectors.
[[ -n ${GUEST_STREAM:-} ]] && read -ra stream_modes <<<"$GUEST_STREAM"
# The perf mode benchmarks the data path past the JIT: C2 alone (no C1 tier whose code is patched and
# replaced as it runs), long cells, three unmeasured runs of each first. Any of them can be set.
if [[ " ${stream_modes[*]} " == *" perf "* ]]; then
    GUEST_JAVA_OPTS=${GUEST_JAVA_OPTS--XX:-TieredCompilation}
    PERF_SCALE=${PERF_SCALE:-20} PERF_WARMUP=${PERF_WARMUP:-3}
fi

junit_platform=1.14.1
lib=$module/target/guest-lib
# Debian's Maven prints bare colour resets even when quiet.
quiet() { "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g; /^$/d'; }
# Installed, so that the copy below takes this build's jars of the other modules, not older ones.
quiet ./build -q install -pl $module -am -DskipTests
rm -rf "$lib"
quiet ./build -q -pl $module test-compile dependency:copy-dependencies \
    -DincludeScope=test -DoutputDirectory="$PWD/$lib" \
    -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian
quiet ./build -q -pl $module dependency:copy \
    -Dartifact=org.junit.platform:junit-platform-console-standalone:$junit_platform -DoutputDirectory="$PWD/$lib"

# The C peers of the interop tests (rsocket API, riomap): built here against librdmacm-dev (the guest has
# no headers; host and guest are the same Debian release, so the binaries run there). Without gcc or the
# headers their tests are skipped, saying so.
cpeer=providers/native/target/c/rsocket_peer
riomappeer=providers/native/target/c/riomap_peer
mkdir -p "$(dirname "$cpeer")"
for peer in "$cpeer" "$riomappeer"; do
    if ! gcc -O2 -Wall -Wextra -Werror -std=gnu11 -o "$peer" "providers/native/src/test/c/$(basename "$peer").c" -lrdmacm; then
        echo "rdma-tests: cannot build the C peer $(basename "$peer") (needs gcc and librdmacm-dev, see scripts/test-deps.sh)" >&2
        rm -f "$peer"
    fi
done
# guest-stream.sh runs ./rsock there: build it here (./rsock builds when sources changed).
if (( ${#stream_modes[@]} )); then
    ./rsock --version >/dev/null
fi

softroce/softroce-vm.sh build >/dev/null
# Everything on the JVM's own class path (not the launcher's --class-path): the suites start peer JVMs
# with this JVM's java.class.path.
classpath=$module/target/classes:$module/target/test-classes
for jar in "$lib"/*.jar; do
    classpath+=":$jar"
done
select_args="" stream_args=""
(( ${#selectors[@]} )) && printf -v select_args '%q ' "${selectors[@]}"
(( ${#stream_modes[@]} )) && stream_args=${stream_modes[*]}
# Under emulation (TCG) the whole run takes tens of minutes; the suites' own per-test deadlines still apply.
export SOFTROCE_TIMEOUT=${SOFTROCE_TIMEOUT:-3600}
# A JVM crash leaves its report in target/, and the kernel's RDMA messages are printed after the run.
# C1 only, in this JVM and the peer JVMs the suites start: under emulation C2's compile threads take
# the CPUs the tests need (a peer JVM takes 60 s to listen with C2, 30 s without). GUEST_JAVA_OPTS replaces
# it (GUEST_JAVA_OPTS= for the JDK's default tiered compilation). The perf mode uses C2 alone (above).
GUEST_JAVA_OPTS=${GUEST_JAVA_OPTS--XX:TieredStopAtLevel=1}
SOFTROCE_SHARE=$PWD softroce/softroce-vm.sh run "
echo '### rdma link'; rdma link
export JAVA_TOOL_OPTIONS='${GUEST_JAVA_OPTS}'
export PERF_WARMUP='${PERF_WARMUP:-1}' PERF_SIZES='${PERF_SIZES:-}' PERF_SCALE='${PERF_SCALE:-1}'
rc=0
if [ ${#selectors[@]} -gt 0 ]; then
java --enable-native-access=ALL-UNNAMED -Xmx1g -Drdmasockets.test.address=\$SOFTROCE_IP $junit_opts \
    -Drdmasockets.test.cpeer=$cpeer -Drdmasockets.test.riomappeer=$riomappeer -XX:ErrorFile=$module/target/hs_err_pid%p.log \
    -cp '$classpath' org.junit.platform.console.ConsoleLauncher execute \
    --disable-banner --disable-ansi-colors --details=testfeed --fail-if-no-tests \
    --config junit.jupiter.execution.timeout.default='120 s' \
    --config junit.jupiter.execution.timeout.thread.mode.default=SEPARATE_THREAD \
    --config junit.jupiter.execution.timeout.threaddump.enabled=true \
    $select_args
rc=\$?
fi
if [ ${#stream_modes[@]} -gt 0 ]; then
    scripts/guest-stream.sh $stream_args || rc=\$((rc ? rc : 1))
fi
echo '### kernel messages about RDMA'; dmesg | grep -iE 'rxe|rdma|ib_|bug|warn|refcount|oops' | tail -40
exit \$rc"
