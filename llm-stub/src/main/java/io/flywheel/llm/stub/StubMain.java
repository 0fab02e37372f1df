package io.flywheel.llm.stub;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the stub: {@code java -jar flywheel-llm-stub.jar [--host 127.0.0.1] [--port 8090]}. It serves
 * until it is stopped (SIGTERM).
 */
public final class StubMain {

    private StubMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String host = "127.0.0.1";
        int port = 8090;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = value(args, ++i, "--host");
                case "--port" -> port = parsePort(value(args, ++i, "--port"));
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        StubServer stub = StubServer.start(host, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stub.close();
            stopped.countDown();
        }));
        System.out.println("llm-stub: a deterministic OpenAI-compatible endpoint at " + stub.baseUrl()
                + " (POST /v1/chat/completions, GET /v1/models, GET /health)");
        stopped.await();
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            usage(flag + " needs a value");
        }
        return args[i];
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        usage("--port must be a port number, not '" + value + "'");
        return -1;
    }

    private static void usage(String problem) {
        System.err.println("llm-stub: " + problem + "\nusage: java -jar flywheel-llm-stub.jar [--host 127.0.0.1] [--port 8090]");
        System.exit(2);
    }
}
