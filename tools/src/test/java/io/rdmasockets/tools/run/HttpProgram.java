package io.rdmasockets.tools.run;

import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * An unmodified JDK HttpClient against the JDK's HttpServer (both NIO inside), then the rsocket engine's
 * counters.
 */
public final class HttpProgram
{
    private HttpProgram()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final HttpServer server = HttpServer.create(new InetSocketAddress(TestHost.address(), 0), 0);
        server.createContext("/", exchange ->
        {
            final byte[] body = "hello over http".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try (HttpClient client = HttpClient.newHttpClient())
        {
            final URI uri = URI.create("http://" + TestHost.address().getHostAddress() + ":" +
                server.getAddress().getPort() + "/");
            final HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
            System.out.println("http " + r.statusCode() + " " + r.body() + " rsockets=" + Counters.openRsockets());
        }
        finally
        {
            server.stop(0);
        }
    }
}
