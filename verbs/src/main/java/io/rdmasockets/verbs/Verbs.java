package io.rdmasockets.verbs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds {@link VerbsProvider}s with {@link ServiceLoader}.
 *
 * <p>The provider used when none is named is the available one with the highest
 * {@link VerbsProvider#priority()}, unless the system property {@value #PROVIDER_PROP_NAME} or the
 * environment variable {@value #PROVIDER_ENV_NAME} names one.
 */
public final class Verbs
{
    /** System property naming the default provider. */
    public static final String PROVIDER_PROP_NAME = "rdmasockets.provider";
    /** Environment variable naming the default provider (the property wins). */
    public static final String PROVIDER_ENV_NAME = "RDMASOCKETS_PROVIDER";

    private Verbs()
    {
    }

    /** Lazily loaded, so that a broken provider cannot fail class initialisation of callers. */
    private static final class Holder
    {
        static final List<VerbsProvider> PROVIDERS = load();

        private static List<VerbsProvider> load()
        {
            final List<VerbsProvider> found = new ArrayList<>();
            for (final VerbsProvider p : ServiceLoader.load(VerbsProvider.class, Verbs.class.getClassLoader()))
            {
                if (found.stream().noneMatch(q -> q.name().equals(p.name())))
                {
                    found.add(p);
                }
            }
            found.sort(Comparator.comparingInt(VerbsProvider::priority).reversed()
                .thenComparing(VerbsProvider::name));
            return List.copyOf(found);
        }
    }

    /** @return every provider on the module or class path, available or not, best first. */
    public static List<VerbsProvider> providers()
    {
        return Holder.PROVIDERS;
    }

    /**
     * @param name a provider name, e.g. {@code "tcp"}.
     * @return the provider of that name, available or not.
     */
    public static Optional<VerbsProvider> provider(final String name)
    {
        return providers().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * The provider to use when the caller names none.
     *
     * @return the configured provider, or the best available one.
     * @throws IllegalStateException when the configured provider does not exist or no provider is
     *                               available; the message lists every provider and why it is not.
     */
    public static VerbsProvider defaultProvider()
    {
        String configured = System.getProperty(PROVIDER_PROP_NAME);
        if (null == configured || configured.isBlank())
        {
            configured = System.getenv(PROVIDER_ENV_NAME);
        }
        if (null != configured && !configured.isBlank())
        {
            final String name = configured.trim();
            return provider(name).orElseThrow(() -> new IllegalStateException(
                "no verbs provider named '" + name + "' (from " + PROVIDER_PROP_NAME + "/" + PROVIDER_ENV_NAME +
                "); known: " + names()));
        }
        for (final VerbsProvider p : providers())
        {
            if (p.isAvailable())
            {
                return p;
            }
        }
        final StringBuilder sb = new StringBuilder("no verbs provider is available");
        for (final VerbsProvider p : providers())
        {
            sb.append("; ").append(p.name()).append(": ").append(p.unavailabilityCause().getMessage());
        }
        throw new IllegalStateException(sb.toString());
    }

    private static String names()
    {
        return providers().stream().map(VerbsProvider::name).toList().toString();
    }
}
