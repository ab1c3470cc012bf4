package io.rdmasockets.nio.routing;

import io.rdmasockets.nio.Router;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Routing rules read from a file: which stack each socket uses. Two formats:
 * <ul>
 * <li>an SDP/JSOR-style text file ({@code rdma connect 192.168.21.0/24 *}, see {@link #readText});</li>
 * <li>fd.io DMM's {@code module_config.json} and {@code rd_config.json}, as they are
 *     ({@link #readDmm}).</li>
 * </ul>
 * Precedence: the rule with the longest prefix wins; then the narrower port range; then the earlier line.
 * A rule for a specific operation and one for any operation compete on the same terms. IPv4-mapped IPv6
 * addresses match IPv4 rules. With no match, the file's default stack (TCP unless it says otherwise).
 * A lookup allocates nothing for IPv4 addresses.
 */
public final class RoutingRules implements Router
{
    /** System property: a text rule file. */
    public static final String RULES_PROP_NAME = "rdmasockets.rules";
    /** Environment variable (DMM's): module_config.json. */
    public static final String DMM_MODULE_ENV_NAME = "NSTACK_MOD_CFG_FILE";
    /** Environment variable (DMM's): rd_config.json. */
    public static final String DMM_RD_ENV_NAME = "NSTACK_MOD_CFG_RD";
    /** System property overriding {@link #DMM_MODULE_ENV_NAME}. */
    public static final String DMM_MODULE_PROP_NAME = "rdmasockets.dmm.module";
    /** System property overriding {@link #DMM_RD_ENV_NAME}. */
    public static final String DMM_RD_PROP_NAME = "rdmasockets.dmm.rd";

    private final Rule[] rules;
    private final boolean defaultRsocket;
    private final boolean fallback;
    private final String source;

    RoutingRules(final List<Rule> rules, final boolean defaultRsocket, final boolean fallback, final String source)
    {
        final List<Rule> sorted = new ArrayList<>(rules);
        // Stable: equal rules keep their file order.
        sorted.sort(Comparator.comparingInt(Rule::prefix).reversed().thenComparingInt(Rule::portSpan));
        this.rules = sorted.toArray(new Rule[0]);
        this.defaultRsocket = defaultRsocket;
        this.fallback = fallback;
        this.source = source;
    }

    /**
     * @param file an SDP/JSOR-style rule file.
     * @return its rules.
     * @throws IOException when it cannot be read; {@link RuleFileException} ({@code file:line: what}) when it is wrong.
     */
    public static RoutingRules readText(final Path file) throws IOException
    {
        return TextRules.parse(file.getFileName().toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /**
     * @param source a name for messages.
     * @param text   the rules.
     * @return them.
     * @throws RuleFileException when they are wrong.
     */
    public static RoutingRules parseText(final String source, final String text) throws RuleFileException
    {
        return TextRules.parse(source, text.lines().toList());
    }

    /**
     * @param moduleConfig DMM's module_config.json, or null.
     * @param rdConfig     DMM's rd_config.json, or null.
     * @return the rules.
     * @throws IOException when a file cannot be read; {@link RuleFileException} when one is wrong.
     */
    public static RoutingRules readDmm(final Path moduleConfig, final Path rdConfig) throws IOException
    {
        return DmmConfig.parse(null == moduleConfig ? null : moduleConfig.getFileName().toString(),
            null == moduleConfig ? null : Files.readString(moduleConfig),
            null == rdConfig ? null : rdConfig.getFileName().toString(),
            null == rdConfig ? null : Files.readString(rdConfig));
    }

    /**
     * @param moduleSource name of the module_config text, or null.
     * @param moduleText   its text, or null.
     * @param rdSource     name of the rd_config text, or null.
     * @param rdText       its text, or null.
     * @return the rules.
     * @throws RuleFileException when one is wrong.
     */
    public static RoutingRules parseDmm(final String moduleSource, final String moduleText, final String rdSource,
        final String rdText) throws RuleFileException
    {
        return DmmConfig.parse(moduleSource, moduleText, rdSource, rdText);
    }

    /**
     * The rules this JVM is configured with: {@code -Drdmasockets.rules=FILE} (text), else DMM's files named by
     * {@code -Drdmasockets.dmm.module}/{@code .rd} or {@code NSTACK_MOD_CFG_FILE}/{@code NSTACK_MOD_CFG_RD}.
     *
     * @return the rules, or null when none are configured.
     * @throws IOException when a named file cannot be read or is wrong (fail fast: {@code file:line: what}).
     */
    public static RoutingRules fromConfiguration() throws IOException
    {
        final String text = System.getProperty(RULES_PROP_NAME);
        if (null != text && !text.isBlank())
        {
            return readText(Path.of(text));
        }
        final String module = setting(DMM_MODULE_PROP_NAME, DMM_MODULE_ENV_NAME);
        final String rd = setting(DMM_RD_PROP_NAME, DMM_RD_ENV_NAME);
        if (null == module && null == rd)
        {
            return null;
        }
        return readDmm(null == module ? null : Path.of(module), null == rd ? null : Path.of(rd));
    }

    private static String setting(final String property, final String env)
    {
        final String p = System.getProperty(property);
        if (null != p && !p.isBlank())
        {
            return p;
        }
        final String e = System.getenv(env);
        return null == e || e.isBlank() ? null : e;
    }

    /**
     * @param operation what the socket does.
     * @param address   its remote (CONNECT) or local (BIND, ACCEPT) address.
     * @return the rule that decides, or null for the default stack.
     */
    public Rule match(final Operation operation, final InetSocketAddress address)
    {
        for (final Rule r : rules)
        {
            if (r.matches(operation, address))
            {
                return r;
            }
        }
        return null;
    }

    @Override
    public boolean useRsocket(final Operation operation, final InetSocketAddress address)
    {
        final Rule r = match(operation, address);
        return null == r ? defaultRsocket : r.rsocket();
    }

    @Override
    public boolean acceptTcp(final InetSocketAddress local)
    {
        final Rule r = match(Operation.ACCEPT, local);
        return null != r && r.plainTcp();
    }

    @Override
    public boolean fallbackToTcp(final InetSocketAddress destination)
    {
        return fallback;
    }

    @Override
    public String describe(final Operation operation, final InetSocketAddress address)
    {
        final Rule r = match(operation, address);
        return null == r ? source + " default" : r.toString();
    }

    /** @return how many rules. */
    public int size()
    {
        return rules.length;
    }

    @Override
    public String toString()
    {
        return "RoutingRules[" + source + ", " + rules.length + " rules, default " + (defaultRsocket ? "rsocket" : "tcp") +
            "]";
    }
}
