package io.rdmasockets.tools;

import io.rdmasockets.verbs.DeviceAttributes;
import io.rdmasockets.verbs.PortAttributes;
import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsDevice;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code rsock devices}: every provider found, available or why not, then each available provider's
 * devices with their attributes and ports, laid out like {@code ibv_devinfo}.
 */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    header = "List verbs providers and their devices, like ibv_devinfo.",
    description = {
        "List the verbs providers found (available, or why not and how to fix it) and, like ibv_devinfo, " +
        "the devices of each available provider with their limits and ports."})
public final class DevicesCommand implements Callable<Integer>
{
    @Option(names = "--provider", paramLabel = "NAME", description = "Show only this provider.")
    String providerName;

    @Option(names = "-v", description = "Show every attribute (like ibv_devinfo -v).")
    boolean allAttributes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final List<VerbsProvider> providers = null == providerName ? Verbs.providers() :
            List.of(Verbs.provider(providerName).orElseThrow(() -> new ToolException(
                "no verbs provider named '" + providerName + "'; known: " +
                Verbs.providers().stream().map(VerbsProvider::name).toList())));
        if (providers.isEmpty())
        {
            throw new ToolException(ProviderOption.NO_PROVIDERS);
        }

        out.println("Providers (best first):");
        for (final VerbsProvider p : providers)
        {
            final Throwable cause = p.unavailabilityCause();
            out.printf(Locale.ROOT, "  %-10s priority %-4d %s%n", p.name(), p.priority(),
                null == cause ? "available" : "unavailable: " + cause.getMessage());
        }

        boolean anyDevice = false;
        for (final VerbsProvider p : providers)
        {
            if (p.isAvailable())
            {
                anyDevice |= printDevices(out, p);
            }
        }
        if (!anyDevice)
        {
            out.println();
            out.println("No devices found: no provider is available, or none has a device (see above).");
        }
        out.flush();
        return anyDevice ? 0 : Rsock.EXIT_FAILURE;
    }

    private boolean printDevices(final PrintWriter out, final VerbsProvider provider)
    {
        out.println();
        final List<VerbsDevice> devices;
        try
        {
            devices = provider.devices();
        }
        catch (final VerbsException ex)
        {
            out.println("provider " + provider.name() + ": cannot list devices: " + ex.getMessage());
            return false;
        }
        if (devices.isEmpty())
        {
            out.println("provider " + provider.name() + ": no devices found");
            return false;
        }
        out.printf(Locale.ROOT, "provider %s: %d device%s%n", provider.name(), devices.size(),
            1 == devices.size() ? "" : "s");
        for (final VerbsDevice device : devices)
        {
            printDevice(out, device);
        }
        return true;
    }

    private void printDevice(final PrintWriter out, final VerbsDevice device)
    {
        out.printf(Locale.ROOT, "hca_id: %s%n", device.name());
        field(out, 1, "transport", device.transportType().toString());
        try (VerbsContext context = device.open())
        {
            final DeviceAttributes a = context.queryDevice();
            field(out, 1, "fw_ver", a.firmwareVersion());
            field(out, 1, "node_guid", Units.guidStr(a.nodeGuid()));
            field(out, 1, "vendor_id", String.format(Locale.ROOT, "0x%04x", a.vendorId()));
            field(out, 1, "vendor_part_id", Integer.toString(a.vendorPartId()));
            field(out, 1, "phys_port_cnt", Integer.toString(a.physPortCount()));
            field(out, 1, "max_mr_size", String.format(Locale.ROOT, "0x%x (%s)", a.maxMrSize(),
                Units.sizeStr(a.maxMrSize())));
            field(out, 1, "max_qp", Integer.toString(a.maxQp()));
            field(out, 1, "max_qp_wr", Integer.toString(a.maxQpWr()));
            field(out, 1, "max_sge", Integer.toString(a.maxSge()));
            field(out, 1, "max_cqe", Integer.toString(a.maxCqe()));
            if (allAttributes)
            {
                field(out, 1, "max_cq", Integer.toString(a.maxCq()));
                field(out, 1, "max_mr", Integer.toString(a.maxMr()));
                field(out, 1, "max_pd", Integer.toString(a.maxPd()));
                field(out, 1, "max_qp_rd_atom", Integer.toString(a.maxQpRdAtom()));
                field(out, 1, "max_qp_init_rd_atom", Integer.toString(a.maxQpInitRdAtom()));
            }
            for (int port = 1; port <= a.physPortCount(); port++)
            {
                printPort(out, context.queryPort(port), port);
            }
        }
        catch (final VerbsException ex)
        {
            // One broken device must not hide the others.
            field(out, 1, "error", ex.getMessage());
        }
    }

    private void printPort(final PrintWriter out, final PortAttributes p, final int port)
    {
        field(out, 2, "port", Integer.toString(port));
        field(out, 3, "state", "PORT_" + p.state() + " (" + p.state().code() + ")");
        field(out, 3, "max_mtu", mtuStr(p.maxMtu()));
        field(out, 3, "active_mtu", mtuStr(p.activeMtu()));
        field(out, 3, "link_layer", linkLayerStr(p.linkLayer()));
        field(out, 3, "active_speed", p.activeSpeed());
        if (allAttributes)
        {
            field(out, 3, "port_lid", Integer.toString(p.lid()));
            field(out, 3, "gid_tbl_len", Integer.toString(p.gidTableLength()));
        }
    }

    private static String mtuStr(final int bytes)
    {
        // ibv_devinfo prints "4096 (5)": bytes, then the enum ibv_mtu value.
        final int mtuEnum = Integer.numberOfTrailingZeros(bytes) - 7;
        return Integer.bitCount(bytes) == 1 && mtuEnum >= 1 && mtuEnum <= 5 ? bytes + " (" + mtuEnum + ")" :
            bytes + " (invalid)";
    }

    private static String linkLayerStr(final PortAttributes.LinkLayer linkLayer)
    {
        return switch (linkLayer)
        {
            case INFINIBAND -> "InfiniBand";
            case ETHERNET -> "Ethernet";
            case UNSPECIFIED -> "Unspecified";
        };
    }

    private static void field(final PrintWriter out, final int depth, final String name, final String value)
    {
        final String indent = "    ".repeat(depth);
        out.printf(Locale.ROOT, "%s%-" + Math.max(1, 28 - indent.length()) + "s%s%n", indent, name + ":", value);
    }
}
