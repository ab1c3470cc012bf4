package io.rdmasockets.nio.routing;

import io.rdmasockets.nio.Router;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The SDP/JSOR-style text format, one rule per line:
 * <pre>
 * # stack   operation  address           ports
 * rdma      connect    192.168.21.0/24   *
 * rdma      bind       10.0.0.1          7000-7100
 * rdma      accept     0.0.0.0/0         7471
 * rdma+tcp  accept     0.0.0.0/0         8080
 * tcp       connect    10.1.0.0/16
 * rdma      *          fd00::/8          *
 * default   tcp
 * fallback  off
 * </pre>
 * Stacks: {@code rdma} or {@code rsocket}; {@code tcp} or {@code kernel}; for {@code accept} rules also
 * {@code rdma+tcp}, a server socket that takes rsockets and plain TCP clients on one port. Operations: {@code connect} (the
 * remote address), {@code bind} (a socket that will connect), {@code accept} (a listener's local address), or
 * {@code *}. Addresses: IPv4 or IPv6, with or without a prefix (without: the host alone), or {@code *}; host
 * bits past the prefix are an error (a typo more often than not). Ports: {@code *} (the default), one port, or
 * a range {@code low-high}. {@code default} names the stack when no rule matches (tcp when absent);
 * {@code fallback off} keeps a failed rsocket connect from falling back to TCP.
 */
final class TextRules
{
    /** The stack of a server socket for rsockets and plain TCP clients. */
    private static final String BOTH = "rdma+tcp";
    private static final java.util.Set<String> KNOWN_STACKS = java.util.Set.of("rdma", "rsocket", "tcp", "kernel");

    private TextRules()
    {
    }

    static RoutingRules parse(final String source, final List<String> lines) throws RuleFileException
    {
        final List<Rule> rules = new ArrayList<>();
        Boolean defaultRsocket = null;
        boolean fallback = true;
        for (int i = 0; i < lines.size(); i++)
        {
            final int line = i + 1;
            String text = lines.get(i);
            final int hash = text.indexOf('#');
            if (hash >= 0)
            {
                text = text.substring(0, hash);
            }
            text = text.strip();
            if (text.isEmpty())
            {
                continue;
            }
            final String[] f = text.split("\\s+");
            final String head = f[0].toLowerCase(Locale.ROOT);
            if ("default".equals(head))
            {
                if (2 != f.length)
                {
                    throw new RuleFileException(source, line, "expected 'default rdma|tcp', found '" + text + "'");
                }
                if (null != defaultRsocket)
                {
                    throw new RuleFileException(source, line, "a second 'default' line");
                }
                defaultRsocket = stack(f[1], source, line);
                continue;
            }
            if ("fallback".equals(head))
            {
                if (2 != f.length || !f[1].equalsIgnoreCase("on") && !f[1].equalsIgnoreCase("off"))
                {
                    throw new RuleFileException(source, line, "expected 'fallback on|off', found '" + text + "'");
                }
                fallback = f[1].equalsIgnoreCase("on");
                continue;
            }
            if (f.length < 3 || f.length > 4)
            {
                throw new RuleFileException(source, line, "expected 'STACK OPERATION ADDRESS [PORTS]', found '" + text +
                    "'");
            }
            final boolean both = BOTH.equalsIgnoreCase(f[0]);
            if (!both && !KNOWN_STACKS.contains(f[0].toLowerCase(Locale.ROOT)))
            {
                throw new RuleFileException(source, line, "unknown stack '" + f[0] + "' (rdma, rsocket, tcp, kernel, " +
                    BOTH + ")");
            }
            final boolean rsocket = both || stack(f[0], source, line);
            final Router.Operation op = operation(f[1], source, line);
            if (both && Router.Operation.ACCEPT != op)
            {
                throw new RuleFileException(source, line, "'" + BOTH + "' applies to accept rules only, found '" + text +
                    "'");
            }
            byte[] network = null;
            int prefix = 0;
            if (!"*".equals(f[2]))
            {
                final Networks.Network n = Networks.parse(f[2], source, line);
                if (Networks.hasHostBits(n))
                {
                    throw new RuleFileException(source, line, "'" + f[2] + "' has bits set past its /" + n.prefix() +
                        " prefix: write " + describe(Networks.masked(n)));
                }
                network = n.address();
                prefix = n.prefix();
            }
            final int[] ports = ports(f.length == 4 ? f[3] : "*", source, line);
            rules.add(new Rule(rsocket, both, op, network, prefix, ports[0], ports[1], source + ":" + line, text));
        }
        return new RoutingRules(rules, null != defaultRsocket && defaultRsocket, fallback, source);
    }

    static boolean stack(final String s, final String source, final int line) throws RuleFileException
    {
        return switch (s.toLowerCase(Locale.ROOT))
        {
            case "rdma", "rsocket" -> true;
            case "tcp", "kernel" -> false;
            default -> throw new RuleFileException(source, line, "unknown stack '" + s + "' (rdma, rsocket, tcp, kernel)");
        };
    }

    private static Router.Operation operation(final String s, final String source, final int line)
        throws RuleFileException
    {
        return switch (s.toLowerCase(Locale.ROOT))
        {
            case "connect" -> Router.Operation.CONNECT;
            case "bind" -> Router.Operation.BIND;
            case "accept", "listen" -> Router.Operation.ACCEPT;
            case "*", "any" -> null;
            default -> throw new RuleFileException(source, line, "unknown operation '" + s +
                "' (connect, bind, accept, *)");
        };
    }

    static int[] ports(final String s, final String source, final int line) throws RuleFileException
    {
        if ("*".equals(s))
        {
            return new int[] {0, 65535};
        }
        final int dash = s.indexOf('-');
        final int low = port(dash < 0 ? s : s.substring(0, dash), s, source, line);
        final int high = dash < 0 ? low : port(s.substring(dash + 1), s, source, line);
        if (high < low)
        {
            throw new RuleFileException(source, line, "port range '" + s + "' is reversed");
        }
        return new int[] {low, high};
    }

    private static int port(final String p, final String whole, final String source, final int line)
        throws RuleFileException
    {
        try
        {
            final int v = Integer.parseInt(p);
            if (v < 0 || v > 65535)
            {
                throw new RuleFileException(source, line, "port " + v + " in '" + whole + "' is outside 0..65535");
            }
            return v;
        }
        catch (final NumberFormatException e)
        {
            throw new RuleFileException(source, line, "'" + whole + "' is not a port, a range or *");
        }
    }

    private static String describe(final Networks.Network n)
    {
        try
        {
            return java.net.InetAddress.getByAddress(n.address()).getHostAddress() + "/" + n.prefix();
        }
        catch (final java.net.UnknownHostException e)
        {
            return "?";
        }
    }
}
