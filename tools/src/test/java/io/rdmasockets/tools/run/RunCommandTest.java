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
@Timeout(value = 20, unit = TimeUnit.MINUTES)   // each program's own limit is RUN_TIMEOUT_SEC
class RunCommandTest
{
    /** Where the programs listen and connect (loopback here; the guest's eth0 address on rxe). */
    private static final String HOST = TestHost.address().getHostAddress();
    /** How long one program may run: 90 s here, longer under emulation ({@code -Drdmasockets.test.runTimeoutSec}). */
    private static final long RUN_TIMEOUT_SEC = Long.getLong("rdmasockets.test.runTimeoutSec", 90);

    @ParameterizedTest
    @CsvSource({"PlainSocketProgram, all, echo hello", "PlainSocketProgram, none, echo hello",
        "HttpProgram, all, http 200 hello over http", "HttpProgram, none, http 200 hello over http",
        "NettyEchoProgram, all, netty netty over rdmasockets", "NettyEchoProgram, none, netty netty over rdmasockets"})
    void shouldRouteAnUnmodifiedProgram(final String program, final String route, final String expected)
        throws Exception
    {
        final List<String> appCommand = appCommand(testClasses() + File.pathSeparator + nettyJars(),
            "io.rdmasockets.tools.run." + program);
        final Path agent = RunCommandAccess.agentJar();
        try
        {
            final List<String> cmd = new ArrayList<>(RunCommandAccess.javaCommand(appCommand, route, agent));
            final String out = run(cmd);
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

    /** A rule file decides per address: the test host over rsockets, so the java.net echo runs on rsockets. */
    @org.junit.jupiter.api.Test
    void shouldRouteByARuleFile(@org.junit.jupiter.api.io.TempDir final Path dir) throws Exception
    {
        final Path rules = dir.resolve("rules.txt");
        Files.writeString(rules, "rdma connect " + HOST + " *\nrdma accept " + HOST + "\ndefault tcp\n");
        final Path agent = RunCommandAccess.agentJar();
        try
        {
            final List<String> cmd = RunCommandAccess.javaCommand(appCommand(testClasses().toString(),
                "io.rdmasockets.tools.run.PlainSocketProgram"), "none", rules, agent);
            final String out = run(cmd);
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
        Files.writeString(rules, "rdma+tcp accept " + HOST + " *\ndefault tcp\n");
        final Path agent = RunCommandAccess.agentJar();
        try
        {
            final List<String> cmd = new ArrayList<>(RunCommandAccess.javaCommand(appCommand(testClasses().toString(),
                "-Drdmasockets.debug=true", "io.rdmasockets.tools.run.PlainSocketProgram"), "none", rules, agent));
            final String out = run(cmd);
            assertTrue(out.contains("echo hello"), out);
            assertTrue(Pattern.compile("ACCEPT " + Pattern.quote(HOST) + ":0 -> rsocket/\\w+ and plain TCP \\([^)]*rules.txt:1 ").matcher(out).find(),
                "the listener takes both kinds, by the first rule: " + out);
            assertTrue(Pattern.compile("CONNECT " + Pattern.quote(HOST) + ":\\d+ -> kernel \\([^)]*rules.txt default\\)").matcher(out).find(),
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

    /**
     * @param cmd the command.
     * @return its output, once it exited with status 0 within {@link #RUN_TIMEOUT_SEC} (else the test fails).
     */
    private static String run(final List<String> cmd) throws IOException, InterruptedException
    {
        final Path log = Files.createTempFile("rsock-run", ".log");
        try
        {
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            final boolean exited = p.waitFor(RUN_TIMEOUT_SEC, TimeUnit.SECONDS);
            if (!exited)
            {
                p.destroyForcibly().waitFor();
            }
            final String out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(exited, "still running after " + RUN_TIMEOUT_SEC + " s: " + out);
            assertEquals(0, p.exitValue(), out);
            return out;
        }
        finally
        {
            Files.deleteIfExists(log);
        }
    }

    /**
     * @param classPath the application's class path.
     * @param rest      JVM options, then the main class.
     * @return {@code java -cp classPath} with the test host and the verbs provider this run uses
     *         ({@code -Drdmasockets.test.provider}, e.g. native in the Soft-RoCE guest), then {@code rest}.
     */
    private static List<String> appCommand(final String classPath, final String... rest)
    {
        final List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
            classPath, "-D" + TestHost.ADDRESS_PROP_NAME + "=" + HOST));
        final String provider = System.getProperty("rdmasockets.test.provider");
        if (null != provider && !provider.isBlank())
        {
            cmd.add("-Drdmasockets.provider=" + provider);
        }
        cmd.addAll(List.of(rest));
        return cmd;
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
