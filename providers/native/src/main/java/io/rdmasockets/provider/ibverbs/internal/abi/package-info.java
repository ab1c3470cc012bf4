/**
 * The C ABI of libibverbs and librdmacm (rdma-core, x86-64 and aarch64 LP64): one Descriptor per struct,
 * each with its {@code MemoryLayout} named field by field as in the C headers. The layouts are checked,
 * not trusted: a test compiles a C program against the installed headers and compares every size and
 * offset ({@link io.rdmasockets.provider.ibverbs.internal.abi.AbiLayouts#ALL} lists what it checks).
 */
package io.rdmasockets.provider.ibverbs.internal.abi;
