package io.rdmasockets.tools.run;

import io.rdmasockets.tools.RunCommandAccess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code rsock run} in front of unmodified programs (java.net sockets, the JDK HttpClient and HttpServer):
 * with {@code --route all} their traffic goes over rsockets (the engine's counter shows open rsockets),
 * with {@code --route none} over kernel TCP.
 */
@Timeout(120)
class RunCommandTest
{
    @ParameterizedTest
    @CsvSource({"PlainSocketProgram, all, echo hello", "PlainSocketProgram, none, echo hello",
        "HttpProgram, all, http 200 hello over http", "HttpProgram, none, http 200 hello over http",
        "NettyEchoProgram, all, netty netty over rdmasockets", "NettyEchoProgram, none, netty netty over rdmasockets"})
    void shouldRouteAnUnmodifiedProgram(final String program, final String route, final String expected)
        throws Exception
    {
        final String java = ProcessHandle.current().info().command().orElseThrow();
        final List<String> appCommand = List.of(java, "-cp", testClasses() + File.pathSeparator + nettyJars(),
            "io.rdmasockets.tools.run." + program);
        final Path agent = RunCommandAccess.agentJar();
        try
        {
            final List<String> cmd = new ArrayList<>(RunCommandAccess.javaCommand(appCommand, route, agent));
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(90, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains(expected), out);
            final Matcher m = Pattern.compile("rsockets=(\\d+)").matcher(out);
            assertTrue(m.find(), out);
            final int rsockets = Integer.parseInt(m.group(1));
            if ("all".equals(route))
            {
                assertTrue(rsockets >= 2, "the connection's two ends are rsockets: " + out);
            }
            else
            {
                assertEquals(0, rsockets, out);
            }
        }
        finally
        {
            Files.deleteIfExists(agent);
        }
    }

    /** A rule file decides per address: 127.0.0.1 over rsockets, so the java.net echo runs on rsockets. */
    @org.junit.jupiter.api.Test
    void shouldRouteByARuleFile(@org.junit.jupiter.api.io.TempDir final Path dir) throws Exception
    {
        final Path rules = dir.resolve("rules.txt");
        Files.writeString(rules, "rdma connect 127.0.0.1 *\nrdma accept 127.0.0.0/8\ndefault tcp\n");
        final String java = ProcessHandle.current().info().command().orElseThrow();
        final Path agent = RunCommandAccess.agentJar();
        try
        {
            final List<String> cmd = RunCommandAccess.javaCommand(List.of(java, "-cp", testClasses().toString(),
                "io.rdmasockets.tools.run.PlainSocketProgram"), "none", rules, agent);
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(90, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            final Matcher m = Pattern.compile("rsockets=(\\d+)").matcher(out);
            assertTrue(m.find(), out);
            assertTrue(Integer.parseInt(m.group(1)) >= 2, "the rules route loopback to rsockets: " + out);
        }
        finally
        {
            Files.deleteIfExists(agent);
        }
    }

    /**
     * {@code rdma+tcp accept}: the program's ServerSocket is an rsocket listener that also takes plain TCP
     * clients, and its client, left to the default (tcp), reaches it over kernel TCP on the same port.
     */
    @org.junit.jupiter.api.Test
    void shouldLetARoutedServerTakeAPlainTcpClient(@org.junit.jupiter.api.io.TempDir final Path dir) throws Exception
    {
        final Path rules = dir.resolve("rules.txt");
        Files.writeString(rules, "rdma+tcp accept 127.0.0.0/8 *\ndefault tcp\n");
        final String java = ProcessHandle.current().info().command().orElseThrow();
        final Path agent = RunCommandAccess.agentJar();
        try
        {
            final List<String> cmd = new ArrayList<>(RunCommandAccess.javaCommand(List.of(java, "-cp",
                testClasses().toString(), "-Drdmasockets.debug=true", "io.rdmasockets.tools.run.PlainSocketProgram"),
                "none", rules, agent));
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(90, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("echo hello"), out);
            assertTrue(Pattern.compile("ACCEPT 127\\.0\\.0\\.1:0 -> rsocket/\\w+ and plain TCP \\([^)]*rules.txt:1 ").matcher(out).find(),
                "the listener takes both kinds, by the first rule: " + out);
            assertTrue(Pattern.compile("CONNECT 127\\.0\\.0\\.1:\\d+ -> kernel \\([^)]*rules.txt default\\)").matcher(out).find(),
                "the client is a kernel socket, by the default: " + out);
            final Matcher m = Pattern.compile("rsockets=(\\d+)").matcher(out);
            assertTrue(m.find(), out);
            assertEquals(1, Integer.parseInt(m.group(1)), "only the listener is an rsocket: " + out);
        }
        finally
        {
            Files.deleteIfExists(agent);
        }
    }

    @org.junit.jupiter.api.Test
    void shouldRefuseABrokenRuleFileBeforeStartingTheApplication(@org.junit.jupiter.api.io.TempDir final Path dir)
        throws Exception
    {
        final Path rules = dir.resolve("rules.txt");
        Files.writeString(rules, "# routes\nrdma connect 10.0.0.0/33 *\n");
        final Exception e = assertThrows(Exception.class, () -> RunCommandAccess.call(rules, List.of("java", "-version")));
        assertEquals("--rules: rules.txt:2: prefix /33 of '10.0.0.0/33' is outside 0..32", e.getMessage());
    }

    /** @return Netty's jars from this JVM's class path: the application's own libraries. */
    private static String nettyJars()
    {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> Path.of(e).getFileName().toString().startsWith("netty-"))
            .collect(java.util.stream.Collectors.joining(File.pathSeparator));
    }

    private static Path testClasses() throws IOException
    {
        try
        {
            return Path.of(PlainSocketProgram.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (final java.net.URISyntaxException e)
        {
            throw new IOException(e);
        }
    }
}
