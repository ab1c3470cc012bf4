#!/usr/bin/env bash
# scripts/netty-testsuite.sh [--all | Socket*Test pattern]: runs Netty's own socket testsuite twice, on the JDK's
# SelectorProvider and on rdmasockets' (every socket an rsocket on the tcp verbs provider, java.net sockets
# routed by the agent), and prints each test class's results side by side. Exits non-zero when a test
# fails on rdmasockets but not on the JDK, unless it is listed in netty-testsuite/expected-failures.txt
# with the reason. By default SocketSslEchoTest is left out: its matrix of TLS parameters takes more than
# 20 minutes per provider on a 2-core machine; --all includes it.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$root"
source scripts/jdk.sh
pattern=${1:-'Socket*Test,!SocketSslEchoTest'}
[[ $pattern == --all ]] && pattern=
out=$root/netty-testsuite/target
./build package >/dev/null
mkdir -p "$out"
# The agent jar: a manifest naming the agent, whose classes are on the test class path already.
printf 'Manifest-Version: 1.0\nPremain-Class: io.rdmasockets.nio.agent.Agent\n' > "$out/agent.mf"
jar cfm "$out/agent.jar" "$out/agent.mf"
run() {  # name, extra JVM args
    local reports=$out/reports-$1
    rm -rf "$reports"
    ./build -q -f netty-testsuite/pom.xml test ${pattern:+-Dtest=$pattern} -Dnetty.reports="$reports" \
        -Dnetty.args="$2" > "$out/$1.log" 2>&1 || true
}
echo "netty-testsuite: JDK provider ..." >&2
run jdk ""
echo "netty-testsuite: rdmasockets provider (every socket an rsocket) ..." >&2
run rdma "-javaagent:$out/agent.jar -Djava.nio.channels.spi.SelectorProvider=io.rdmasockets.nio.RdmaSelectorProvider -Drdmasockets.nio.route=all --add-exports=java.base/sun.nio.ch=ALL-UNNAMED"
python3 - "$out" "$root/netty-testsuite/expected-failures.txt" <<'PY'
import sys, re, glob, os
out, expected_file = sys.argv[1], sys.argv[2]
def results(name):
    r = {}
    for f in glob.glob(f"{out}/reports-{name}/TEST-*.xml"):
        s = open(f).read()
        for m in re.finditer(r'<testcase name="([^"(]+)[^"]*" classname="[^"]*\.([^".]+)"[^>]*?(/>|>(.*?)</testcase>)', s, re.S):
            body = m.group(4) or ""
            state = "skip" if "<skipped" in body else "FAIL" if ("<failure" in body or "<error" in body) else "pass"
            r[f"{m.group(2)}.{m.group(1)}"] = state
    return r
jdk, rdma = results("jdk"), results("rdma")
expected = {}
if os.path.exists(expected_file):
    for line in open(expected_file):
        line = line.strip()
        if line and not line.startswith("#"):
            test, _, why = line.partition(" ")
            expected[test] = why.strip()
classes = sorted({t.split(".")[0] for t in jdk.keys() | rdma.keys()})
print(f"{'test class':44} {'JDK pass/fail':>14} {'rdma pass/fail':>15}")
for c in classes:
    def count(r):
        v = [s for t, s in r.items() if t.split(".")[0] == c]
        return f"{v.count('pass')}/{v.count('FAIL')}"
    print(f"{c:44} {count(jdk):>14} {count(rdma):>15}")
def tot(r): return sum(s == "pass" for s in r.values()), sum(s == "FAIL" for s in r.values()), sum(s == "skip" for s in r.values())
print("total (pass, fail, skip): JDK %s, rdmasockets %s" % (tot(jdk), tot(rdma)))
bad = 0
for t, s in sorted(rdma.items()):
    if s == "FAIL" and jdk.get(t) != "FAIL":
        if t in expected:
            print(f"  explained: {t}: {expected[t]}")
        else:
            print(f"  UNEXPECTED: {t} fails on rdmasockets only")
            bad += 1
    elif s == "FAIL":
        print(f"  both fail: {t}")
if not rdma:
    print("no results from the rdmasockets run: see netty-testsuite/target/rdma.log"); bad += 1
sys.exit(1 if bad else 0)
PY
