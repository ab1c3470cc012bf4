# Sourced by ./build test: installs what the tests need and a fresh machine may lack, when root with apt.
#   iproute2                      the two-namespace tests (ip netns, veth)
#   gcc, libibverbs-dev,          the native provider's layout check compiles a C program against the
#   librdmacm-dev                 installed rdma-core headers (and later the C interop peers)
#   rdmacm-utils                  C rstream: rsock stream is checked against it over TCP sockets (-T s)
# Without root or apt the tests that need them are skipped, saying what to install.
test_deps_missing=()
command -v ip >/dev/null 2>&1 || test_deps_missing+=(iproute2)
command -v gcc >/dev/null 2>&1 || test_deps_missing+=(gcc libc6-dev)
[[ -f /usr/include/infiniband/verbs.h ]] || test_deps_missing+=(libibverbs-dev)
[[ -f /usr/include/rdma/rdma_cma.h ]] || test_deps_missing+=(librdmacm-dev)
command -v rstream >/dev/null 2>&1 || test_deps_missing+=(rdmacm-utils)
if (( ${#test_deps_missing[@]} )); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "build: installing test prerequisites: ${test_deps_missing[*]}" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${test_deps_missing[@]}" >/dev/null
    else
        echo "build: missing test prerequisites (their tests will be skipped): ${test_deps_missing[*]}" >&2
    fi
fi
unset test_deps_missing
