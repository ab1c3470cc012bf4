# shellcheck shell=bash
# Sourced by ./build and ./rsock: finds a JDK >= 25 (JAVA_HOME first, then the usual install
# locations), exports JAVA_HOME and puts its bin first on PATH. Fails with a message that says the fix.

rdmasockets_java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 |
        awk -F= '/java.specification.version/ {gsub(/[ \t]/, "", $2); split($2, v, "."); print v[1]; exit}'
}

rdmasockets_find_jdk() {
    local min=25 cand major seen=""
    local candidates=("${JAVA_HOME:-}")
    if command -v javac >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
    fi
    candidates+=(/usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*
                 /Library/Java/JavaVirtualMachines/*/Contents/Home)
    for cand in "${candidates[@]}"; do
        [[ -n $cand && -x $cand/bin/javac && -x $cand/bin/java ]] || continue
        major=$(rdmasockets_java_major "$cand")
        seen+=" $cand (${major:-?})"
        if [[ -n $major && $major -ge $min ]]; then
            echo "$cand"
            return 0
        fi
    done
    echo "rdmasockets needs a JDK >= $min (FFM API, Java 25). Looked at:${seen:- nothing}." >&2
    echo "Fix: install a JDK 25 (e.g. Eclipse Temurin 25) and set JAVA_HOME to it." >&2
    return 1
}

if [[ -z ${RDMASOCKETS_JDK_DONE:-} ]]; then
    JAVA_HOME=$(rdmasockets_find_jdk) || exit 1
    export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH" RDMASOCKETS_JDK_DONE=1
fi
