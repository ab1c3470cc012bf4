package io.rdmasockets.tools;

import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;
import picocli.CommandLine.Option;

/**
 * The {@code --provider NAME} option, mixed into every command that uses a verbs provider.
 */
public final class ProviderOption
{
    /** What to tell a user whose installation has no provider at all. */
    static final String NO_PROVIDERS = "no verbs provider found on the module or class path (expected e.g. " +
        "rdmasockets-provider-tcp in tools/target/lib)";

    @Option(names = "--provider", paramLabel = "NAME",
        description = "Verbs provider to use (see 'rsock devices'); default: the best available one, " +
            "or the one named by -D" + Verbs.PROVIDER_PROP_NAME + " / $" + Verbs.PROVIDER_ENV_NAME + ".")
    String name;

    /**
     * @return the named provider, or the default one; always available.
     * @throws ToolException when the provider does not exist or is unavailable, with the reason.
     */
    public VerbsProvider resolve()
    {
        final VerbsProvider provider;
        if (null == name && Verbs.providers().isEmpty())
        {
            throw new ToolException(NO_PROVIDERS);
        }
        if (null == name)
        {
            try
            {
                provider = Verbs.defaultProvider();
            }
            catch (final IllegalStateException ex)
            {
                throw new ToolException(ex.getMessage(), ex);
            }
        }
        else
        {
            provider = Verbs.provider(name).orElseThrow(() -> new ToolException(
                "no verbs provider named '" + name + "'; " + (Verbs.providers().isEmpty() ? NO_PROVIDERS :
                "known: " + Verbs.providers().stream().map(VerbsProvider::name).toList())));
        }
        final Throwable cause = provider.unavailabilityCause();
        if (null != cause)
        {
            throw new ToolException("verbs provider '" + provider.name() + "' is unavailable: " + cause.getMessage(),
                cause);
        }
        return provider;
    }
}
