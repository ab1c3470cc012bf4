package io.rdmasockets.tools;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchCommandTest
{
    @Test
    void shouldRunEachLineAndPrintItsExitCode()
    {
        final String lines = """
            # a comment, then a blank line

            devices --provider tcp
            devices --provider nosuch
            batch
            """;
        final BatchCommand batch = new BatchCommand();
        batch.input = new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8));
        final CommandLine commandLine = new CommandLine(batch);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));

        assertEquals(Rsock.EXIT_FAILURE, commandLine.execute());

        final String text = out.toString();
        assertTrue(text.contains("hca_id: tcp0"), text);
        final String[] markers = text.lines().filter(l -> l.startsWith(BatchCommand.DONE)).toArray(String[]::new);
        assertEquals(3, markers.length, text);
        assertEquals(BatchCommand.DONE + " 0", markers[0]);
        assertEquals(BatchCommand.DONE + " " + Rsock.EXIT_FAILURE, markers[1]);
        assertEquals(BatchCommand.DONE + " " + CommandLine.ExitCode.USAGE, markers[2]);
        assertTrue(err.toString().contains("no verbs provider named 'nosuch'"), err.toString());
        assertTrue(err.toString().contains("cannot run 'batch'"), err.toString());
    }
}
