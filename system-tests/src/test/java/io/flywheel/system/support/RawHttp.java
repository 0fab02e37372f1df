package io.flywheel.system.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one request per connection, bytes sent exactly as given: a fuzzer
 * must be able to send paths and headers that well-behaved clients (java.net.http, RestAssured)
 * refuse to build. Reads the whole answer (it asks for Connection: close).
 */
public final class RawHttp {

    /** An answer: status, headers (lower-case names), body. Status -1 when the server closed without one. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;

    public RawHttp(URI base) {
        this.host = base.getHost();
        this.port = base.getPort();
    }

    public Response send(String method, String target, Map<String, String> headers, byte[] body) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(host).append(':').append(port).append("\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException refusedMidway) {
                    // a server may answer (413) and close before it has read a large body: read that answer
                }
            }
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            return new Response(-1, Map.of("x-error", String.valueOf(e.getMessage())), new byte[0]);
        }
    }

    /** Reads one answer: to its Content-Length, to its last chunk, or (neither) to the end of the connection. */
    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[16_384];
        int headEnd = -1;
        Map<String, String> headers = new LinkedHashMap<>();
        int status = -1;
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
                byte[] bytes = all.toByteArray();
                if (headEnd < 0) {
                    headEnd = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    if (headEnd < 0) {
                        continue;
                    }
                    String[] lines = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
                    String[] statusLine = lines[0].split(" ", 3);
                    status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
                    for (int i = 1; i < lines.length; i++) {
                        int colon = lines[i].indexOf(':');
                        if (colon > 0) {
                            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
                        }
                    }
                }
                if (complete(bytes, headEnd + 4, headers)) {
                    break;
                }
            }
        } catch (IOException resetAfterAnswer) {
            // a connection reset after the answer was written still leaves the answer to parse
        }
        byte[] bytes = all.toByteArray();
        if (headEnd < 0) {
            return new Response(-1, Map.of(), bytes);
        }
        byte[] rest = java.util.Arrays.copyOfRange(bytes, headEnd + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            rest = unchunk(rest);
        }
        return new Response(status, headers, rest);
    }

    /** Whether the body after the head is all there, as far as its framing tells. */
    private static boolean complete(byte[] bytes, int bodyStart, Map<String, String> headers) {
        String length = headers.get("content-length");
        if (length != null) {
            return bytes.length - bodyStart >= Long.parseLong(length.strip());
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return indexOf(bytes, "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), Math.max(0, bodyStart - 2)) >= 0;
        }
        return false;
    }

    private static byte[] unchunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(chunked, "\r\n".getBytes(StandardCharsets.US_ASCII), at);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].strip();
            int size = sizeText.isEmpty() ? 0 : Integer.parseInt(sizeText, 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        return indexOf(haystack, needle, 0);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
