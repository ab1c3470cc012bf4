package io.rdmasockets.testsuite.verbs;

import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.testsuite.JavaProcess;
import io.rdmasockets.testsuite.peer.NamespacePeer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two hosts in one machine: two network namespaces joined by a veth pair, addressed from a private /24
 * used only inside them, a server {@link NamespacePeer} JVM in one and a client in the other. Traffic
 * goes only to those two addresses. Needs root and iproute2 (CI has both); skipped otherwise. The
 * namespaces are always deleted, also on failure; stale ones of dead test runs are deleted first.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
public abstract class NetworkNamespaceConformance extends AbstractVerbsTest
{
    static final String PREFIX = "rdmats-";
    static final int PORT = 7471;

    private static String ipCommand()
    {
        for (final String p : List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"))
        {
            if (Files.isExecutable(Path.of(p)))
            {
                return p;
            }
        }
        return null;
    }

    private static boolean isRoot()
    {
        try
        {
            return 0 == (Integer)Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        }
        catch (final IOException | UnsupportedOperationException | IllegalArgumentException e)
        {
            return false;
        }
    }

    /** Runs a command; returns its output; fails the test unless it exits 0 (when {@code check}). */
    private static String run(final boolean check, final String... command) throws Exception
    {
        final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " hung");
        }
        if (check && 0 != p.exitValue())
        {
            throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ": " + out);
        }
        return out;
    }

    /** Deletes namespaces of earlier runs whose JVM is gone. */
    private static void deleteStaleNamespaces(final String ip) throws Exception
    {
        for (final String line : run(false, ip, "netns", "list").split("\n"))
        {
            final String name = line.split(" ")[0].trim();
            if (!name.startsWith(PREFIX))
            {
                continue;
            }
            final String[] parts = name.substring(PREFIX.length()).split("-");
            boolean alive = false;
            try
            {
                alive = ProcessHandle.of(Long.parseLong(parts[0])).map(ProcessHandle::isAlive).orElse(false);
            }
            catch (final NumberFormatException ignore)
            {
                // Not one of ours after all; a dead name then.
            }
            if (!alive || parts[0].equals(Long.toString(ProcessHandle.current().pid())))
            {
                run(false, ip, "netns", "del", name);
            }
        }
    }

    @Test
    public void shouldRunScenarioAcrossTwoNetworkNamespaces() throws Exception
    {
        final String ip = ipCommand();
        assumeTrue(isRoot() && null != ip,
            "two-namespace test needs root and iproute2 ('ip'); skipped (CI runs it as root)");
        final long pid = ProcessHandle.current().pid();
        final String nsServer = PREFIX + pid + "-s";
        final String nsClient = PREFIX + pid + "-c";
        final String vethServer = "rtss" + pid % 10_000_000;
        final String vethClient = "rtsc" + pid % 10_000_000;
        final String subnet = "10.233." + (pid % 250 + 1) + ".";
        final String serverAddress = subnet + "1";
        final String clientAddress = subnet + "2";

        deleteStaleNamespaces(ip);
        run(false, ip, "link", "del", vethServer);
        final List<JavaProcess> peers = new ArrayList<>();
        try
        {
            run(true, ip, "netns", "add", nsServer);
            run(true, ip, "netns", "add", nsClient);
            run(true, ip, "link", "add", vethServer, "type", "veth", "peer", "name", vethClient);
            run(true, ip, "link", "set", vethServer, "netns", nsServer);
            run(true, ip, "link", "set", vethClient, "netns", nsClient);
            run(true, ip, "-n", nsServer, "addr", "add", serverAddress + "/24", "dev", vethServer);
            run(true, ip, "-n", nsClient, "addr", "add", clientAddress + "/24", "dev", vethClient);
            for (final String[] nsDev : new String[][] {{nsServer, vethServer}, {nsClient, vethClient}})
            {
                run(true, ip, "-n", nsDev[0], "link", "set", "lo", "up");
                run(true, ip, "-n", nsDev[0], "link", "set", nsDev[1], "up");
            }

            final JavaProcess server = start(ip, nsServer, "server", serverAddress);
            peers.add(server);
            server.awaitLine("SERVER listening", Duration.ofSeconds(60));
            final JavaProcess client = start(ip, nsClient, "client", serverAddress);
            peers.add(client);

            final int clientExit = client.awaitExit(Duration.ofSeconds(60));
            final int serverExit = server.awaitExit(Duration.ofSeconds(30));
            // For the CI log: what ran where.
            System.out.println(nsServer + " " + serverAddress + ": " + server.lines());
            System.out.println(nsClient + " " + clientAddress + ": " + client.lines());
            assertEquals(0, clientExit, () -> "client failed: " + client.lines() + "\nserver: " + server.lines());
            assertEquals(0, serverExit, () -> "server failed: " + server.lines());
            for (final String line : List.of("CLIENT established ok", "CLIENT write-with-imm ok", "CLIENT read ok",
                "CLIENT send ok", "CLIENT bad-rkey REM_ACCESS_ERR", "CLIENT disconnected", "CLIENT done"))
            {
                assertNotNull(client.line(line), () -> "client did not print '" + line + "': " + client.lines());
            }
            for (final String line : List.of("SERVER connect-private-data ok", "SERVER established",
                "SERVER write-with-imm ok", "SERVER send ok", "SERVER qp-error ok", "SERVER disconnected",
                "SERVER done"))
            {
                assertNotNull(server.line(line), () -> "server did not print '" + line + "': " + server.lines());
            }
        }
        finally
        {
            peers.forEach(JavaProcess::close);
            run(false, ip, "netns", "del", nsServer);
            run(false, ip, "netns", "del", nsClient);
            run(false, ip, "link", "del", vethServer);
        }
    }

    private JavaProcess start(final String ip, final String ns, final String role, final String serverAddress)
        throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(ip, "netns", "exec", ns));
        command.addAll(JavaProcess.javaCommand(NamespacePeer.class, role, provider().name(), serverAddress,
            Integer.toString(PORT)));
        return JavaProcess.start(role + "@" + ns, command);
    }
}
