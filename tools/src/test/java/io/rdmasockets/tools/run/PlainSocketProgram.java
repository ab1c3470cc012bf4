package io.rdmasockets.tools.run;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * An unmodified java.net program (no rdmasockets API): a ServerSocket and a Socket echo a message, then it
 * prints the rsocket engine's open-socket count, read reflectively as any tool would.
 */
public final class PlainSocketProgram
{
    private PlainSocketProgram()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        try (ServerSocket server = new ServerSocket(0, 50, TestHost.address()))
        {
            final Thread echo = Thread.ofPlatform().start(() ->
            {
                try (Socket s = server.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream())
                {
                    final byte[] b = in.readNBytes(5);
                    out.write(b);
                }
                catch (final Exception e)
                {
                    e.printStackTrace();
                }
            });
            try (Socket client = new Socket(TestHost.address(), server.getLocalPort()))
            {
                client.getOutputStream().write("hello".getBytes());
                final String back = new String(client.getInputStream().readNBytes(5));
                System.out.println("echo " + back + " rsockets=" + Counters.openRsockets());
            }
            echo.join();
        }
    }
}
