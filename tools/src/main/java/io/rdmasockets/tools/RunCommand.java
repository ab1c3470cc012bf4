package io.rdmasockets.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * {@code rsock run}: runs an unmodified Java application with rdmasockets in front of it, the JVM's
 * counterpart of {@code LD_PRELOAD=librspreload.so}. It writes a small agent jar whose manifest names the
 * agent and puts rdmasockets on the application's class path (so it works for {@code -jar} applications
 * too, whose {@code -cp} the JVM ignores), and starts the given {@code java} command with it.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    header = "Run an unmodified Java application with its sockets routed to rsockets.",
    description = {
        "Starts the java command after '--' with the rdmasockets agent: NIO channels (SelectorProvider) and " +
        "java.net sockets are routed per socket to rsockets or kernel TCP; a routed connect that cannot use " +
        "RDMA falls back to TCP.", ""},
    footer = {"", "Examples:", "  rsock run --route all -- java -jar app.jar",
        "  rsock run --route all -- java -cp app.jar com.example.Main arg1"})
public final class RunCommand implements Callable<Integer>
{
    /** The agent class in the rdmasockets-nio jar. */
    static final String AGENT_CLASS = "io.rdmasockets.nio.agent.Agent";
    /** The provider class in the rdmasockets-nio jar. */
    static final String PROVIDER_CLASS = "io.rdmasockets.nio.RdmaSelectorProvider";

    @Option(names = "--route", paramLabel = "all|none", defaultValue = "all",
        description = "Route every socket to rsockets (all) or none (kernel TCP only) (default: ${DEFAULT-VALUE}).")
    String route;

    @Option(names = "--rules", paramLabel = "FILE",
        description = "Routing rules (rdma connect 10.0.0.0/8 * ...; see nio/README.md); overrides --route. " +
            "DMM's NSTACK_MOD_CFG_FILE/NSTACK_MOD_CFG_RD are honoured from the environment too.")
    java.nio.file.Path rules;

    @Option(names = "--accept-tcp",
        description = "With --route all: server sockets take plain TCP clients on their port too " +
            "(-Drdmasockets.nio.acceptTcp=true; in a rules file: rdma+tcp accept ...).")
    boolean acceptTcp;

    @Option(names = "--provider", paramLabel = "NAME",
        description = "Verbs provider for the rsockets (default: the best available).")
    String provider;

    @Option(names = "--debug", description = "Log every routing decision (-Drdmasockets.debug=true).")
    boolean debug;

    @Parameters(paramLabel = "JAVA-COMMAND", arity = "1..*",
        description = "The application's command line after '--', starting with java.")
    List<String> command;

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final String mode = route.toLowerCase(Locale.ROOT);
        if (!mode.equals("all") && !mode.equals("none"))
        {
            throw new ToolException("--route must be all or none, not '" + route + "'");
        }
        if (acceptTcp && (null != rules || mode.equals("none")))
        {
            throw new ToolException("--accept-tcp goes with --route all; in a rules file write 'rdma+tcp accept ...'");
        }
        if (null != rules)
        {
            // Fail here, with file:line, rather than in the application's first socket.
            try
            {
                io.rdmasockets.nio.routing.RoutingRules.readText(rules);
            }
            catch (final IOException e)
            {
                throw new ToolException("--rules: " + e.getMessage());
            }
        }
        final Path agentJar = writeAgentJar(rdmasocketsClassPath());
        final ProcessBuilder pb = new ProcessBuilder(javaCommand(agentJar, mode)).inheritIO();
        final Process process = pb.start();
        try
        {
            return process.waitFor();
        }
        finally
        {
            Files.deleteIfExists(agentJar);
        }
    }

    /** @return the command: {@code java}, the agent and properties, then the application's arguments. */
    List<String> javaCommand(final Path agentJar, final String mode)
    {
        final List<String> cmd = new ArrayList<>();
        cmd.add(command.getFirst());
        cmd.add("-javaagent:" + agentJar);
        cmd.add("-D" + "java.nio.channels.spi.SelectorProvider=" + PROVIDER_CLASS);
        cmd.add("-Drdmasockets.nio.route=" + mode);
        if (acceptTcp)
        {
            cmd.add("-Drdmasockets.nio.acceptTcp=true");
        }
        if (null != rules)
        {
            cmd.add("-Drdmasockets.rules=" + rules.toAbsolutePath());
        }
        // The provider reaches the JDK's own in sun.nio.ch (the agent exports it too). FFM downcalls of the
        // native provider, now on the class path (the unnamed module).
        cmd.add("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (null != provider)
        {
            cmd.add("-Drdmasockets.provider=" + provider);
        }
        if (debug)
        {
            cmd.add("-Drdmasockets.debug=true");
        }
        cmd.addAll(command.subList(1, command.size()));
        return cmd;
    }

    /**
     * @return the jars (and, in a build, class directories) of rdmasockets this tool runs from, without the
     *         tool's own dependencies (picocli, HdrHistogram) that the application must not see.
     */
    static List<Path> rdmasocketsClassPath()
    {
        final Set<Path> entries = new LinkedHashSet<>();
        for (final String property : List.of("jdk.module.path", "java.class.path"))
        {
            final String value = System.getProperty(property);
            if (null == value || value.isEmpty())
            {
                continue;
            }
            for (final String entry : value.split(File.pathSeparator))
            {
                final Path p = Path.of(entry).toAbsolutePath().normalize();
                if (Files.isDirectory(p) && !p.toString().endsWith("classes"))
                {
                    // A directory of jars (./rsock's tools/target/lib).
                    try (var files = Files.list(p))
                    {
                        files.filter(RunCommand::isRdmasockets).forEach(entries::add);
                    }
                    catch (final IOException ignored)
                    {
                        // Unreadable: nothing of ours there.
                    }
                }
                else if (isRdmasockets(p))
                {
                    entries.add(p);
                }
            }
        }
        entries.removeIf(p -> p.getFileName().toString().startsWith("rdmasockets-tools"));
        if (entries.stream().noneMatch(p -> p.getFileName().toString().startsWith("rdmasockets-nio")))
        {
            throw new ToolException("rdmasockets-nio is not on this tool's path; rebuild with ./build package");
        }
        return List.copyOf(entries);
    }

    private static boolean isRdmasockets(final Path p)
    {
        final String name = p.getFileName().toString();
        return name.endsWith(".jar") && !name.endsWith("-tests.jar") && !name.endsWith("-sources.jar") &&
            (name.startsWith("rdmasockets-") || name.startsWith("jackson-"));
    }

    /**
     * @param classPath what the agent jar's manifest puts on the application's class path.
     * @return a temporary jar naming the agent.
     */
    static Path writeAgentJar(final List<Path> classPath) throws IOException
    {
        final Manifest manifest = new Manifest();
        final Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Premain-Class", AGENT_CLASS);
        final StringBuilder cp = new StringBuilder();
        for (final Path p : classPath)
        {
            if (!cp.isEmpty())
            {
                cp.append(' ');
            }
            cp.append(p.toUri());
        }
        main.put(Attributes.Name.CLASS_PATH, cp.toString());
        final Path jar = Files.createTempFile("rsock-run-agent-", ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest))
        {
            // The manifest is the whole jar.
            jarOut.flush();
        }
        return jar;
    }
}
