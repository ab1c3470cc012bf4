package io.rdmasockets.provider.ibverbs.internal.abi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.StructLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Java layouts against the installed C headers: a C program compiled here prints the size and
 * alignment of every struct in {@link AbiLayouts#ALL} and the offset of every named member, recursively
 * (anonymous unions flattened as C does), and each must equal the Java layout's. CI installs the headers
 * (libibverbs-dev, librdmacm-dev).
 */
class AbiLayoutTest
{
    private static final Path VERBS_H = Path.of("/usr/include/infiniband/verbs.h");
    private static final Path RDMA_CMA_H = Path.of("/usr/include/rdma/rdma_cma.h");

    @Test
    void shouldMatchTheInstalledHeadersMemberForMember(@TempDir final Path dir) throws Exception
    {
        assumeTrue(Files.exists(VERBS_H) && Files.exists(RDMA_CMA_H),
            "C headers missing: apt-get install libibverbs-dev librdmacm-dev (CI installs them)");
        final Map<String, Long> expected = new LinkedHashMap<>();
        final StringBuilder c = new StringBuilder("""
            #include <stdio.h>
            #include <stddef.h>
            #include <infiniband/verbs.h>
            #include <rdma/rdma_cma.h>
            #include <sys/epoll.h>
            #include <poll.h>
            #include <netinet/in.h>
            int main(void)
            {
            """);
        for (final StructLayout layout : AbiLayouts.ALL)
        {
            final String tag = layout.name().orElseThrow();
            expected.put(tag + " sizeof", layout.byteSize());
            expected.put(tag + " alignof", layout.byteAlignment());
            c.append("    printf(\"%s sizeof %zu\\n\", \"").append(tag).append("\", sizeof(struct ").append(tag).append("));\n");
            c.append("    printf(\"%s alignof %zu\\n\", \"").append(tag).append("\", _Alignof(struct ").append(tag).append("));\n");
            for (final Member m : members(layout, "", 0))
            {
                expected.put(tag + "." + m.path, m.offset);
                c.append("    printf(\"%s %zu\\n\", \"").append(tag).append('.').append(m.path)
                    .append("\", offsetof(struct ").append(tag).append(", ").append(m.path).append("));\n");
            }
        }
        c.append("    return 0;\n}\n");
        final Path source = dir.resolve("layouts.c");
        Files.writeString(source, c);
        final Path binary = dir.resolve("layouts");
        run(List.of("gcc", "-std=gnu11", "-Wall", "-Werror", "-o", binary.toString(), source.toString()));
        final Map<String, Long> actual = new LinkedHashMap<>();
        for (final String line : run(List.of(binary.toString())).split("\n"))
        {
            final int at = line.lastIndexOf(' ');
            actual.put(line.substring(0, at), Long.parseLong(line.substring(at + 1)));
        }
        assertTrue(expected.size() > 150, "the check covers every member: " + expected.size());
        final List<String> wrong = new ArrayList<>();
        expected.forEach((k, v) ->
        {
            if (!v.equals(actual.get(k)))
            {
                wrong.add(k + ": Java " + v + ", C " + actual.get(k));
            }
        });
        assertEquals(List.of(), wrong, "layouts that differ from the C headers");
    }

    private record Member(String path, long offset)
    {
    }

    /** Named members, with C paths: a name starting with {@link Abi#ANONYMOUS} is an unnamed C union. */
    private static List<Member> members(final GroupLayout group, final String prefix, final long base)
    {
        final List<Member> out = new ArrayList<>();
        final boolean union = !(group instanceof StructLayout);
        long offset = base;
        for (final MemoryLayout m : group.memberLayouts())
        {
            if (!(m instanceof PaddingLayout))
            {
                final String name = m.name().orElseThrow(() -> new AssertionError("unnamed member in " + group));
                final boolean anonymous = name.startsWith(Abi.ANONYMOUS);
                final String path = anonymous ? prefix : prefix + name;
                if (!anonymous)
                {
                    out.add(new Member(path, offset));
                }
                if (m instanceof GroupLayout inner)
                {
                    out.addAll(members(inner, anonymous ? prefix : path + ".", offset));
                }
            }
            if (!union)
            {
                offset += m.byteSize();
            }
        }
        return out;
    }

    private static String run(final List<String> command) throws IOException, InterruptedException
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, p.exitValue(), () -> command + " failed:\n" + out);
        return out;
    }
}
