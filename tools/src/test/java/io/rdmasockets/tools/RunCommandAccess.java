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
        return javaCommand(app, route, null, agent);
    }

    public static List<String> javaCommand(final List<String> app, final String route, final Path rules,
        final Path agent)
    {
        final RunCommand c = new RunCommand();
        c.command = app;
        c.route = route;
        c.rules = rules;
        return c.javaCommand(agent, route);
    }

    /** Runs the command's checks and start-up as {@code rsock run} would, for a command that must fail early. */
    public static void call(final Path rules, final List<String> app) throws Exception
    {
        final RunCommand c = new RunCommand();
        c.command = app;
        c.route = "none";
        c.rules = rules;
        c.call();
    }
}
