#!/usr/bin/env bash
# scripts/rdma-tests.sh: runs the native provider's tests on a real verbs device: the Soft-RoCE device
# rxe0 inside a throw-away QEMU guest (softroce/softroce-vm.sh), with this machine's JDK 25 and a build
# made here (the guest has no Maven). Needs root and apt the first time (QEMU, debootstrap, a Debian
# kernel; about a minute, cached in ~/.cache/softroce). Exit status: the tests' (125: the guest died).
#
#   scripts/rdma-tests.sh            build, then run every native-provider test in the guest
#   SOFTROCE_VERBOSE=1 scripts/...   also print the guest's console
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
source scripts/jdk.sh

junit_platform=1.14.1
lib=providers/native/target/guest-lib
# Debian's Maven prints bare colour resets even when quiet.
quiet() { "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g; /^$/d'; }
quiet ./build package -pl providers/native -am
quiet ./build -q -pl providers/native test-compile dependency:copy-dependencies \
    -DincludeScope=test -DoutputDirectory="$PWD/$lib" \
    -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian
quiet ./build -q -pl providers/native dependency:copy \
    -Dartifact=org.junit.platform:junit-platform-console-standalone:$junit_platform -DoutputDirectory="$PWD/$lib"

softroce/softroce-vm.sh build >/dev/null
classpath=providers/native/target/classes:providers/native/target/test-classes
for jar in "$lib"/*.jar; do
    [[ $jar == *junit-platform-console-standalone* ]] || classpath+=":$jar"
done
SOFTROCE_SHARE=$PWD softroce/softroce-vm.sh run "
set -e
echo '### rdma link'; rdma link
java --enable-native-access=ALL-UNNAMED -jar $lib/junit-platform-console-standalone-$junit_platform.jar execute \
    --disable-banner --disable-ansi-colors --details=tree --fail-if-no-tests \
    --class-path '$classpath' --select-package io.rdmasockets.provider.ibverbs"
