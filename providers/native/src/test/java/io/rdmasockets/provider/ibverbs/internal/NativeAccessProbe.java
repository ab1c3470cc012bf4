package io.rdmasockets.provider.ibverbs.internal;

/** Child JVM of {@link NativeStackTest}: started without native access, prints the cause it gets. */
public final class NativeAccessProbe
{
    private NativeAccessProbe()
    {
    }

    /** @param args none. */
    public static void main(final String[] args)
    {
        System.out.println("CAUSE " + NativeStack.unavailabilityCause().getMessage());
    }
}
