package io.rdmasockets.nio.routing;

import io.rdmasockets.nio.Router.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The rule formats, their precedence, and their errors. */
class RoutingRulesTest
{
    private static InetSocketAddress at(final String host, final int port) throws Exception
    {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    @Test
    void shouldPickTheLongestPrefixThenTheNarrowerPortsThenTheEarlierLine(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("rules.txt");
        Files.writeString(file, String.join("\n",
            "# comment",
            "rdma connect 10.0.0.0/8 *",
            "tcp  connect 10.1.0.0/16          # more specific",
            "rdma connect 10.1.2.0/24 7000-7100",
            "tcp  connect 10.1.2.0/24 7050",
            "rdma *       10.1.2.0/24 7050     # same prefix and ports: the earlier line wins",
            "rdma accept  0.0.0.0/0 7471",
            "rdma bind    fd00::/8",
            "default tcp", ""));
        final RoutingRules r = RoutingRules.readText(file);
        assertTrue(r.useRsocket(Operation.CONNECT, at("10.9.9.9", 80)));
        assertFalse(r.useRsocket(Operation.CONNECT, at("10.1.9.9", 80)));
        assertTrue(r.useRsocket(Operation.CONNECT, at("10.1.2.3", 7001)));
        assertFalse(r.useRsocket(Operation.CONNECT, at("10.1.2.3", 7050)), "narrower port range");
        assertEquals("rules.txt:5", r.match(Operation.CONNECT, at("10.1.2.3", 7050)).source());
        assertFalse(r.useRsocket(Operation.CONNECT, at("10.1.2.3", 7200)), "falls to the /16");
        assertFalse(r.useRsocket(Operation.CONNECT, at("192.168.0.1", 7471)), "accept rules are not for connect");
        assertTrue(r.useRsocket(Operation.ACCEPT, at("192.168.0.1", 7471)));
        assertTrue(r.useRsocket(Operation.BIND, at("fd12::1", 0)));
        assertFalse(r.useRsocket(Operation.CONNECT, at("fd12::1", 0)));
        assertTrue(r.useRsocket(Operation.CONNECT, at("::ffff:10.9.9.9", 80)), "IPv4-mapped matches IPv4 rules");
        assertFalse(r.useRsocket(Operation.CONNECT, at("172.16.0.1", 80)), "default tcp");
        assertEquals("rules.txt:2 rdma connect 10.0.0.0/8 *", r.describe(Operation.CONNECT, at("10.9.9.9", 80)));
        assertEquals("rules.txt default", r.describe(Operation.CONNECT, at("172.16.0.1", 80)));
        assertTrue(r.fallbackToTcp(at("10.9.9.9", 80)));
    }

    @Test
    void shouldHonourDefaultAndFallbackLines() throws Exception
    {
        final RoutingRules r = RoutingRules.parseText("r", "default rdma\nfallback off\ntcp * 127.0.0.1\n");
        assertTrue(r.useRsocket(Operation.CONNECT, at("10.0.0.1", 1)));
        assertFalse(r.useRsocket(Operation.CONNECT, at("127.0.0.1", 1)));
        assertFalse(r.fallbackToTcp(at("10.0.0.1", 1)));
    }

    @Test
    void shouldLetAcceptRulesTakePlainTcpClientsToo() throws Exception
    {
        final RoutingRules r = RoutingRules.parseText("r",
            "rdma+tcp accept 0.0.0.0/0 8080\nrdma accept 0.0.0.0/0 7471\nRDMA+TCP accept ::/0 9000-9001\n");
        assertTrue(r.useRsocket(Operation.ACCEPT, at("0.0.0.0", 8080)));
        assertTrue(r.acceptTcp(at("0.0.0.0", 8080)));
        assertTrue(r.useRsocket(Operation.ACCEPT, at("0.0.0.0", 7471)));
        assertFalse(r.acceptTcp(at("0.0.0.0", 7471)), "rdma alone: rsockets only");
        assertTrue(r.acceptTcp(at("::", 9001)));
        assertFalse(r.useRsocket(Operation.ACCEPT, at("0.0.0.0", 1)), "no rule: the default, tcp");
        assertFalse(r.acceptTcp(at("0.0.0.0", 1)));
        assertFalse(r.acceptTcp(at("0.0.0.0", 8081)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "rdma connect 10.0.0.0/33 * ; r:1: prefix /33 of '10.0.0.0/33' is outside 0..32",
        "rdma connect 10.0.0.1/24 * ; r:1: '10.0.0.1/24' has bits set past its /24 prefix: write 10.0.0.0/24",
        "rdma connect 10.0.0.0/x * ; r:1: prefix 'x' of '10.0.0.0/x' is not a number",
        "rdma connect example.com * ; r:1: 'example.com' is not an IPv4 or IPv6 address or CIDR",
        "rdma connect 300.1.1.1 * ; r:1: '300.1.1.1' is not an IPv4 or IPv6 address or CIDR",
        "rdma connect fd00::/129 ; r:1: prefix /129 of 'fd00::/129' is outside 0..128",
        "rdma connect 10.0.0.0/8 70000 ; r:1: port 70000 in '70000' is outside 0..65535",
        "rdma connect 10.0.0.0/8 9-3 ; r:1: port range '9-3' is reversed",
        "rdma connect 10.0.0.0/8 http ; r:1: 'http' is not a port, a range or *",
        "ib connect 10.0.0.0/8 ; r:1: unknown stack 'ib' (rdma, rsocket, tcp, kernel, rdma+tcp)",
        "rdma+tcp connect 10.0.0.0/8 ; r:1: 'rdma+tcp' applies to accept rules only, found 'rdma+tcp connect 10.0.0.0/8'",
        "default rdma+tcp ; r:1: unknown stack 'rdma+tcp' (rdma, rsocket, tcp, kernel)",
        "rdma dial 10.0.0.0/8 ; r:1: unknown operation 'dial' (connect, bind, accept, *)",
        "rdma connect ; r:1: expected 'STACK OPERATION ADDRESS [PORTS]', found 'rdma connect'",
        "default ; r:1: expected 'default rdma|tcp', found 'default'",
        "fallback maybe ; r:1: expected 'fallback on|off', found 'fallback maybe'"})
    void shouldReportABrokenTextRuleWithFileAndLine(final String rule, final String message)
    {
        final RuleFileException e = assertThrows(RuleFileException.class, () -> RoutingRules.parseText("r", rule));
        assertEquals(message, e.getMessage());
    }

    @Test
    void shouldNameTheLineOfTheBrokenRule()
    {
        final RuleFileException e = assertThrows(RuleFileException.class,
            () -> RoutingRules.parseText("rules", "# ok\nrdma connect 10.0.0.0/8\n\ndefault tcp\ndefault rdma\n"));
        assertEquals("rules:5: a second 'default' line", e.getMessage());
    }

    /** The files DMM ships for its rsocket module, with their comments and trailing commas. */
    @Test
    void shouldReadDmmsRsocketFilesAsShipped() throws Exception
    {
        final String module = """
            {
                "default_stack_name": "kernel",   /* the fix module */
                "module_list": [
                { "stack_name": "kernel",  "libname": "./",                "deploytype": "1", "stackid": "0", },
                { "stack_name": "rsocket", "libname": "libdmm_rsocket.so", "deploytype": "1", "stackid": "1", },
                ]
            }
            """;
        final String rd = """
            {
              "ip_route": [
                { "subnet": "192.168.21.1/24", "stack_name": "rsocket", },
              ],
              "prot_route": [
              ],
            }
            """;
        final RoutingRules r = RoutingRules.parseDmm("module_config.json", module, "rd_config.json", rd);
        assertTrue(r.useRsocket(Operation.CONNECT, at("192.168.21.7", 80)), "the subnet is masked: /24");
        assertTrue(r.useRsocket(Operation.BIND, at("192.168.21.7", 0)));
        assertFalse(r.useRsocket(Operation.CONNECT, at("192.168.22.7", 80)), "default_stack_name kernel");
        assertEquals("rd_config.json:3 192.168.21.1/24 -> rsocket", r.describe(Operation.CONNECT, at("192.168.21.7", 80)));
    }

    @Test
    void shouldApplyAStreamProtRouteWhenNoSubnetMatches() throws Exception
    {
        final String rd = """
            { "ip_route": [ {"subnet":"192.168.131.1/24","stack_name":"kernel"},
                            {"subnet":"192.168.21.1/24","stack_name":"rsocket"} ],
              "prot_route": [ {"proto_type":"1","stack_name":"rsocket"},
                              {"proto_type":2,"stack_name":"kernel"} ] }
            """;
        final RoutingRules r = RoutingRules.parseDmm(null, null, "rd_config.json", rd);
        assertFalse(r.useRsocket(Operation.CONNECT, at("192.168.131.5", 80)));
        assertTrue(r.useRsocket(Operation.CONNECT, at("192.168.21.5", 80)));
        assertTrue(r.useRsocket(Operation.CONNECT, at("8.8.8.8", 80)), "proto_type 1 catches the rest");
    }

    @Test
    void shouldReadTheOldPlaneNamesAndDmm2Modules() throws Exception
    {
        final RoutingRules old = RoutingRules.parseDmm(null, null, "rd",
            "{\"ip_route\": [{\"subnet\": \"10.0.0.0/8\", \"type\": \"nstack-rsocket\"}], \"prot_route\": []}");
        assertTrue(old.useRsocket(Operation.CONNECT, at("10.1.1.1", 1)));
        final RoutingRules dmm2 = RoutingRules.parseDmm(null, null, "rd", """
            { "modules": [ { "name": "kernel",  "ip_route": ["127.0.0.1/24"], "protocol_route": [], "type_route": [] },
                           { "name": "rsocket", "ip_route": ["192.168.21.1/24"], "protocol_route": [] } ] }
            """);
        assertTrue(dmm2.useRsocket(Operation.CONNECT, at("192.168.21.9", 1)));
        assertFalse(dmm2.useRsocket(Operation.CONNECT, at("127.0.0.9", 1)));
    }

    @Test
    void shouldReportABrokenDmmFileWithFileAndLine()
    {
        assertDmmError("{\"ip_route\": [\n{\"subnet\": \"10.0.0.0/8\", \"stack_name\": \"lwip\"}]}",
            "rd:2: stack 'lwip' has no rdmasockets equivalent (rsocket or kernel)");
        assertDmmError("{\"ip_route\": [\n\n{\"subnet\": \"10.0.0.0\", \"stack_name\": \"rsocket\"}]}",
            "rd:3: subnet '10.0.0.0' has no /prefix (DMM requires one)");
        assertDmmError("{\"ip_route\": [{\"stack_name\": \"rsocket\"}]}",
            "rd:1: 'subnet' is missing or not a string or number");
        assertDmmError("{\"ip_route\": [{\"subnet\": \"10.0.0.0/40\", \"stack_name\": \"rsocket\"}]}",
            "rd:1: prefix /40 of '10.0.0.0/40' is outside 0..32");
        assertDmmError("{\"prot_route\": [{\"proto_type\": \"7\", \"stack_name\": \"kernel\"}]}",
            "rd:1: proto_type '7' is neither 1 (SOCK_STREAM) nor 2 (SOCK_DGRAM)");
        assertTrue(dmmError("{\"ip_route\": [\n{\"subnet\": \"10.0.0.0/8\" \"stack_name\": \"rsocket\"}]}")
            .startsWith("rd:2: malformed JSON: "));
        assertTrue(dmmError("{\"ip_route\": [], \n\"ip_route\": []}").startsWith("rd:2: malformed JSON: Duplicate field"));
    }

    private static void assertDmmError(final String json, final String message)
    {
        assertEquals(message, dmmError(json));
    }

    private static String dmmError(final String json)
    {
        return assertThrows(RuleFileException.class, () -> RoutingRules.parseDmm(null, null, "rd", json)).getMessage();
    }

    @Test
    void shouldRefuseAStackMissingFromModuleList()
    {
        final RuleFileException e = assertThrows(RuleFileException.class, () -> RoutingRules.parseDmm(
            "module_config.json", "{\"default_stack_name\": \"kernel\", \"module_list\": [{\"stack_name\": \"kernel\"}]}",
            "rd_config.json", "{\"ip_route\": [{\"subnet\": \"10.0.0.0/8\", \"stack_name\": \"rsocket\"}]}"));
        assertEquals("rd_config.json:1: stack_name 'rsocket' is not in module_list [kernel]", e.getMessage());
        final RuleFileException d = assertThrows(RuleFileException.class, () -> RoutingRules.parseDmm(
            "module_config.json", "{\n\"default_stack_name\": \"vpp\",\n \"module_list\": [{\"stack_name\": \"kernel\"}]}",
            null, null));
        assertEquals("module_config.json:2: default_stack_name 'vpp' is not in module_list [kernel]", d.getMessage());
    }

    /** CIDR matching against a reference on BigIntegers, for random networks and addresses of both families. */
    @Test
    void shouldMatchCidrsAsTheArithmeticReferenceDoes() throws Exception
    {
        final Random random = new Random(42);
        for (int i = 0; i < 20_000; i++)
        {
            final boolean v6 = random.nextBoolean();
            final byte[] net = new byte[v6 ? 16 : 4];
            random.nextBytes(net);
            final int bits = net.length * 8;
            final int prefix = random.nextInt(bits + 1);
            final byte[] addr = net.clone();
            // Flip a random bit: inside or outside the prefix.
            final int flip = random.nextInt(bits);
            addr[flip / 8] ^= (byte)(0x80 >>> (flip % 8));
            final Networks.Network masked = Networks.masked(new Networks.Network(net, prefix));
            final Rule rule = new Rule(true, false, null, masked.address(), prefix, 0, 65535, "t:1", "t");
            final InetAddress ia = InetAddress.getByAddress(addr);
            final String network = describe(masked.address()) + "/" + prefix;
            final boolean expected = reference(masked.address(), prefix, Rule.unmapped(ia).getAddress());
            assertEquals(expected, rule.matches(Operation.CONNECT, new InetSocketAddress(ia, 1)),
                () -> ia + " in " + network);
        }
    }

    private static boolean reference(final byte[] net, final int prefix, final byte[] addr)
    {
        if (net.length != addr.length)
        {
            return false;
        }
        final int bits = net.length * 8;
        final BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
            .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
        return new BigInteger(1, net).and(mask).equals(new BigInteger(1, addr).and(mask));
    }

    private static String describe(final byte[] a) throws Exception
    {
        return InetAddress.getByAddress(a).getHostAddress();
    }
}
