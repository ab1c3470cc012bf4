package io.rdmasockets.nio.routing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * fd.io DMM's configuration, read as DMM reads it (dmm-stack-routing doc section 2): lenient JSON (comments,
 * trailing commas, single quotes; values as strings or numbers), {@code module_config.json}
 * ({@code default_stack_name}, {@code module_list[].stack_name}) and {@code rd_config.json}
 * ({@code ip_route[]{subnet, stack_name}}, {@code prot_route[]{proto_type, stack_name}}, the older
 * {@code "type": "nstack-rsocket"} plane names, and DMM-2's {@code modules[]{name, ip_route[]}}).
 *
 * <p>Deliberately not copied (section 5.1): subnets are masked when read (DMM stored them unmasked, and its
 * prefix handling overwrote entries); {@code /0} matches everything; a {@code prot_route} for stream sockets
 * applies when no {@code ip_route} matches instead of being unreachable; there are no hidden built-in rules
 * (DMM sent 127.0.0.1/32 and 0.0.0.0/32 to the kernel): what the files say is what happens. Entries naming a
 * stack that is not in {@code module_list} are an error here, where DMM silently dropped them.
 */
final class DmmConfig
{
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .build())
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .build();

    private DmmConfig()
    {
    }

    /** An element of an array with the line it starts on. */
    private record Located(JsonNode node, int line)
    {
    }

    /** The top-level fields of a file, each array's elements with their lines. */
    private record Parsed(Map<String, JsonNode> fields, Map<String, List<Located>> arrays, Map<String, Integer> lines)
    {
    }

    static RoutingRules parse(final String moduleSource, final String moduleText, final String rdSource,
        final String rdText) throws RuleFileException
    {
        final Map<String, Boolean> stacks = new HashMap<>();
        boolean defaultRsocket = false;
        if (null != moduleText)
        {
            final Parsed m = read(moduleSource, moduleText);
            final List<Located> modules = m.arrays().get("module_list");
            if (null == modules || modules.isEmpty())
            {
                throw new RuleFileException(moduleSource, m.lines().getOrDefault("module_list", 1),
                    "module_list is missing or empty");
            }
            for (final Located l : modules)
            {
                final String name = text(l.node(), "stack_name", moduleSource, l.line());
                stacks.put(name, stack(name, moduleSource, l.line()));
            }
            final JsonNode def = m.fields().get("default_stack_name");
            if (null == def || !def.isValueNode())
            {
                throw new RuleFileException(moduleSource, 1, "default_stack_name is missing");
            }
            final Boolean d = stacks.get(def.asText());
            if (null == d)
            {
                throw new RuleFileException(moduleSource, m.lines().get("default_stack_name"), "default_stack_name '" +
                    def.asText() + "' is not in module_list " + stacks.keySet());
            }
            defaultRsocket = d;
        }
        final List<Rule> rules = new ArrayList<>();
        if (null != rdText)
        {
            final Parsed rd = read(rdSource, rdText);
            for (final Located l : rd.arrays().getOrDefault("ip_route", List.of()))
            {
                final String name = l.node().has("stack_name") ? text(l.node(), "stack_name", rdSource, l.line()) :
                    plane(text(l.node(), "type", rdSource, l.line()), rdSource, l.line());
                rules.add(subnetRule(text(l.node(), "subnet", rdSource, l.line()), name, stacks, rdSource, l.line()));
            }
            for (final Located l : rd.arrays().getOrDefault("prot_route", List.of()))
            {
                final String type = text(l.node(), "proto_type", rdSource, l.line());
                final String name = text(l.node(), "stack_name", rdSource, l.line());
                final boolean rsocket = known(name, stacks, rdSource, l.line());
                switch (type.strip())
                {
                    // SOCK_STREAM: every stream socket no ip_route matched.
                    case "1" -> rules.add(new Rule(rsocket, false, null, null, -1, 0, 65535, rdSource + ":" + l.line(),
                        "prot_route proto_type 1 -> " + name));
                    // SOCK_DGRAM: datagram channels are kernel ones for now; a route to the kernel is satisfied.
                    case "2" ->
                    {
                        if (rsocket)
                        {
                            throw new RuleFileException(rdSource, l.line(), "datagram sockets cannot be routed to " +
                                name + " yet (datagram rsockets are not implemented)");
                        }
                    }
                    default -> throw new RuleFileException(rdSource, l.line(), "proto_type '" + type +
                        "' is neither 1 (SOCK_STREAM) nor 2 (SOCK_DGRAM)");
                }
            }
            for (final Located l : rd.arrays().getOrDefault("modules", List.of()))
            {
                final String name = text(l.node(), "name", rdSource, l.line());
                final JsonNode routes = l.node().get("ip_route");
                if (null != routes)
                {
                    for (final JsonNode subnet : routes)
                    {
                        rules.add(subnetRule(subnet.asText(), name, stacks, rdSource, l.line()));
                    }
                }
            }
        }
        return new RoutingRules(rules, defaultRsocket, true, null != rdSource ? rdSource : moduleSource);
    }

    private static Rule subnetRule(final String subnet, final String name, final Map<String, Boolean> stacks,
        final String source, final int line) throws RuleFileException
    {
        if (subnet.indexOf('/') < 0)
        {
            throw new RuleFileException(source, line, "subnet '" + subnet + "' has no /prefix (DMM requires one)");
        }
        final boolean rsocket = known(name, stacks, source, line);
        final Networks.Network n = Networks.masked(Networks.parse(subnet.strip(), source, line));
        return new Rule(rsocket, false, null, n.address(), n.prefix(), 0, 65535, source + ":" + line,
            subnet.strip() + " -> " + name);
    }

    private static boolean known(final String name, final Map<String, Boolean> stacks, final String source,
        final int line) throws RuleFileException
    {
        final Boolean known = stacks.get(name);
        if (null != known)
        {
            return known;
        }
        if (stacks.isEmpty())
        {
            // No module_config.json: the stack names alone decide.
            return stack(name, source, line);
        }
        throw new RuleFileException(source, line, "stack_name '" + name + "' is not in module_list " + stacks.keySet());
    }

    /** DMM stack names and what they are here. */
    static boolean stack(final String name, final String source, final int line) throws RuleFileException
    {
        return switch (name.toLowerCase(Locale.ROOT))
        {
            case "rsocket", "rdma" -> true;
            case "kernel", "linux" -> false;
            default -> throw new RuleFileException(source, line, "stack '" + name +
                "' has no rdmasockets equivalent (rsocket or kernel)");
        };
    }

    /** The obsolete plane names of rd_config entries' "type" (dmm-stack-routing doc section 2.3). */
    private static String plane(final String type, final String source, final int line) throws RuleFileException
    {
        return switch (type)
        {
            case "nstack-rsocket" -> "rsocket";
            case "nstack-kernel", "nstack-linux" -> "kernel";
            default -> throw new RuleFileException(source, line, "plane type '" + type + "' has no rdmasockets equivalent");
        };
    }

    private static String text(final JsonNode node, final String field, final String source, final int line)
        throws RuleFileException
    {
        final JsonNode v = node.get(field);
        if (null == v || !v.isValueNode() || v.isNull())
        {
            throw new RuleFileException(source, line, "'" + field + "' is missing or not a string or number");
        }
        return v.asText();
    }

    /** Reads the top-level object, keeping the line each array element starts on. */
    private static Parsed read(final String source, final String text) throws RuleFileException
    {
        final Map<String, JsonNode> fields = new HashMap<>();
        final Map<String, List<Located>> arrays = new HashMap<>();
        final Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = JSON.createParser(text))
        {
            if (JsonToken.START_OBJECT != p.nextToken())
            {
                throw new RuleFileException(source, line(p), "expected a JSON object");
            }
            while (JsonToken.FIELD_NAME == p.nextToken())
            {
                final String name = p.currentName();
                lines.put(name, line(p));
                final JsonToken t = p.nextToken();
                if (JsonToken.START_ARRAY == t)
                {
                    final List<Located> elements = new ArrayList<>();
                    while (JsonToken.END_ARRAY != p.nextToken())
                    {
                        final int at = line(p);
                        final JsonNode element = JSON.readTree(p);
                        if (!element.isObject() && !"modules".equals(name) && !element.isValueNode())
                        {
                            throw new RuleFileException(source, at, name + " holds something other than objects");
                        }
                        elements.add(new Located(element, at));
                    }
                    arrays.put(name, elements);
                }
                else
                {
                    fields.put(name, JSON.readTree(p));
                }
            }
            if (null != p.nextToken())
            {
                throw new RuleFileException(source, line(p), "text after the top-level object");
            }
        }
        catch (final JsonParseException e)
        {
            throw new RuleFileException(source, null == e.getLocation() ? 0 : e.getLocation().getLineNr(),
                "malformed JSON: " + e.getOriginalMessage(), e);
        }
        catch (final RuleFileException e)
        {
            throw e;
        }
        catch (final IOException e)
        {
            throw new RuleFileException(source, 0, "cannot read: " + e.getMessage(), e);
        }
        return new Parsed(fields, arrays, lines);
    }

    private static int line(final JsonParser p)
    {
        return p.currentTokenLocation().getLineNr();
    }
}
