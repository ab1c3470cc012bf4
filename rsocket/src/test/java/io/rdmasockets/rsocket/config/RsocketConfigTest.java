package io.rdmasockets.rsocket.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class RsocketConfigTest
{
    @TempDir
    Path dir;

    @Test
    void shouldUseCsDefaultsWhenNoFileExists()
    {
        final RsocketConfig c = RsocketConfig.load(dir.resolve("absent"));
        assertEquals(131072, c.memDefault());
        assertEquals(131072, c.wmemDefault());
        assertEquals(384, c.sqSizeDefault());
        assertEquals(384, c.rqSizeDefault());
        assertEquals(64, c.inlineDefault());
        assertEquals(0, c.iomapSize());
        assertEquals(10, c.pollingTimeUs());
        assertEquals(500, c.wakeUpIntervalMs());
        assertTrue(c.problems().isEmpty());
    }

    @Test
    void shouldReadEveryFileLikeFscanf() throws IOException
    {
        write("mem_default", "1048576\n");
        write("wmem_default", "  262144 bytes\n");   // fscanf("%u") stops at the first non-digit
        write("sqsize_default", "512");
        write("rqsize_default", "256\n");
        write("inline_default", "128\n");
        write("iomap_size", "1000\n");                 // rounds through the scale encoding to 768
        write("polling_time", "0\n");
        write("wake_up_interval", "250\n");
        final RsocketConfig c = RsocketConfig.load(dir);
        assertEquals(1048576, c.memDefault());
        assertEquals(262144, c.wmemDefault());
        assertEquals(512, c.sqSizeDefault());
        assertEquals(256, c.rqSizeDefault());
        assertEquals(128, c.inlineDefault());
        assertEquals(768, c.iomapSize());
        assertEquals(0, c.pollingTimeUs());
        assertEquals(250, c.wakeUpIntervalMs());
        assertTrue(c.problems().isEmpty(), c.problems().toString());
    }

    @Test
    void shouldApplyCsClampsToMemorySizes() throws IOException
    {
        write("mem_default", "0\n");
        write("wmem_default", "100\n");
        final RsocketConfig c = RsocketConfig.load(dir);
        assertEquals(1, c.memDefault());
        assertEquals(4096, c.wmemDefault());
    }

    @Test
    void shouldReportMalformedFilesAndKeepTheDefault() throws IOException
    {
        write("sqsize_default", "lots\n");
        write("rqsize_default", "70000\n");          // beyond %hu
        write("inline_default", "-5\n");
        Files.createDirectory(dir.resolve("mem_default")); // a directory where a file should be
        final RsocketConfig c = RsocketConfig.load(dir);
        assertEquals(384, c.sqSizeDefault());
        assertEquals(384, c.rqSizeDefault());
        assertEquals(64, c.inlineDefault());
        assertEquals(131072, c.memDefault());
        assertEquals(4, c.problems().size(), c.problems().toString());
        assertTrue(c.problems().stream().anyMatch(p -> p.contains("sqsize_default") && p.contains("'lots'")));
        assertTrue(c.problems().stream().anyMatch(p -> p.contains("rqsize_default") && p.contains("out of range")));
        assertTrue(c.problems().stream().anyMatch(p -> p.contains("mem_default") && p.contains("unreadable")));
    }

    @Test
    void shouldFindTheDirectoryFromTheSystemProperty()
    {
        final String old = System.setProperty(RsocketConfig.DIR_PROP_NAME, dir.toString());
        try
        {
            assertEquals(dir, RsocketConfig.directory());
        }
        finally
        {
            if (null == old)
            {
                System.clearProperty(RsocketConfig.DIR_PROP_NAME);
            }
            else
            {
                System.setProperty(RsocketConfig.DIR_PROP_NAME, old);
            }
        }
    }

    private void write(final String name, final String content) throws IOException
    {
        Files.writeString(dir.resolve(name), content);
    }
}
