package io.rdmasockets.tools.run;

/** Reads the engine's counter reflectively: the programs are not linked to rdmasockets. */
final class Counters
{
    private Counters()
    {
    }

    static int openRsockets()
    {
        try
        {
            return (Integer)Class.forName("io.rdmasockets.rsocket.engine.StreamRsocket")
                .getMethod("openSockets").invoke(null);
        }
        catch (final ReflectiveOperationException e)
        {
            return -1;
        }
    }
}
