package io.rdmasockets.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Test access to {@link RunCommand}'s command building. */
public final class RunCommandAccess
{
    private RunCommandAccess()
    {
    }

    public static Path agentJar() throws IOException
    {
        return RunCommand.writeAgentJar(RunCommand.rdmasocketsClassPath());
    }

    public static List<String> javaCommand(final List<String> app, final String route, final Path agent)
    {
        final RunCommand c = new RunCommand();
        c.command = app;
        c.route = route;
        return c.javaCommand(agent, route);
    }
}
