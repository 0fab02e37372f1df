package io.flywheel.gateway.llm;

import io.restassured.RestAssured;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A POST whose body has no Content-Length (Transfer-Encoding: chunked), as JavaScript's OTLP exporter
 * sends it. RestAssured always announces a length, so this goes through the JDK's client over HTTP/1.1.
 */
final class Chunked {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<String> post(String path, String authorization, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization)
                .header("Content-Type", contentType)
                // no length: the JDK client sends the stream chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private Chunked() {
    }
}
