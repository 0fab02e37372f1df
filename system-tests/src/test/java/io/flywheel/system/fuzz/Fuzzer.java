package io.flywheel.system.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flywheel.system.support.OpenApi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Bad requests for every operation of an OpenAPI document, drawn from a seeded random source so a run
 * can be repeated exactly: odd path segments, odd query and header values, bodies that are empty,
 * malformed, of the wrong shape, with unknown fields, numbers past long and double, 10,000 levels
 * deep, or past the route's size limit; wrong Content-Type and Accept; methods a route does not take.
 * Each parameter keeps a plausible value (an existing model, version 1...) while another is bent,
 * so the bad part is what reaches the code behind it.
 */
final class Fuzzer {

    /** One request to send. The target is the raw request target, sent byte for byte. */
    record Case(String operation, String what, String method, String target, Map<String, String> headers, byte[] body) {
    }

    static final int MAX_JSON_BODY = 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Path and query values that have broken servers: encodings, separators, numbers past every range. */
    static final List<String> ODD_SEGMENTS = List.of(
            "a%20b", "%25", "100%", "%zz", "{name}", "%7Bx%7D", "%22quoted%22", "'", "%3Cscript%3E", ".", "a;b", ";x",
            "%3B", "%00", "%FF", "%C3%A9t%C3%A9", "-1", "0", "2147483648", "9223372036854775808", "-9223372036854775809",
            "1e309", "NaN", "Infinity", "null", "true", "x".repeat(300), "y".repeat(5000), "a|b", "a^b", "%2e%2e", "a%2Fb",
            "a%5Cb", "%0d%0aX-Injected:%201", "*", "~", "__proto__", "constructor", "%u0041", "=");

    static final List<String> ODD_QUERY_VALUES = List.of(
            "", "-1", "0", "1e309", "NaN", "abc", "9223372036854775808", "999999999999999999999999", "%00", "%FF", "a%20b",
            "%22", "x".repeat(3000), "true", "null", "2026-13-45T99:99:99Z", "not-a-date", "%2F..%2F", "[]", "{}");

    static final List<String> ODD_HEADER_VALUES = List.of(
            "", "x".repeat(2000), "\"*\"", "*", "W/\"etag\"", "bytes=9999999999-", "bytes=-0", "bytes=a-b", "items=1-2",
            "sha-256=not-base64!", "md5=abc", "-1", "null", "\u00e9t\u00e9");

    private final SplittableRandom random;
    private final Map<String, String> plausible;

    /**
     * @param plausible a usable value per path parameter name (an existing model, version 1...)
     */
    Fuzzer(long seed, Map<String, String> plausible) {
        this.random = new SplittableRandom(seed);
        this.plausible = plausible;
    }

    List<Case> cases(OpenApi api, OpenApi.Operation operation, int perKind) {
        List<Case> cases = new ArrayList<>();
        Map<String, String> path = plausiblePath(operation);
        JsonNode example = operation.bodySchema() == null ? null : example(api, operation.bodySchema(), 0);
        String bodyType = operation.bodyTypes().isEmpty() ? null : operation.bodyTypes().getFirst();
        byte[] plausibleBody = body(bodyType, example);

        cases.add(send(operation, "plausible", path, Map.of(), Map.of(), bodyType, plausibleBody));

        for (OpenApi.Parameter p : operation.in("path")) {
            for (String odd : pick(ODD_SEGMENTS, perKind)) {
                Map<String, String> bent = new LinkedHashMap<>(path);
                bent.put(p.name(), odd);
                cases.add(send(operation, "path " + p.name() + "=" + clip(odd), bent, Map.of(), Map.of(), bodyType, plausibleBody));
            }
        }
        for (OpenApi.Parameter p : operation.in("query")) {
            for (String odd : pick(ODD_QUERY_VALUES, perKind)) {
                cases.add(send(operation, "query " + p.name() + "=" + clip(odd), path, Map.of(p.name(), odd), Map.of(), bodyType, plausibleBody));
            }
        }
        for (OpenApi.Parameter p : operation.in("header")) {
            if (p.name().equalsIgnoreCase("Content-Type") || p.name().equalsIgnoreCase("Authorization")) {
                continue;
            }
            for (String odd : pick(ODD_HEADER_VALUES, Math.max(2, perKind / 2))) {
                cases.add(send(operation, "header " + p.name() + "=" + clip(odd), path, Map.of(), Map.of(p.name(), odd), bodyType, plausibleBody));
            }
        }
        if (bodyType != null) {
            for (Map.Entry<String, byte[]> bad : badBodies(api, operation, example).entrySet()) {
                cases.add(send(operation, "body " + bad.getKey(), path, Map.of(), Map.of(), bodyType, bad.getValue()));
            }
            cases.add(send(operation, "Content-Type text/plain", path, Map.of(), Map.of(), "text/plain", plausibleBody));
            cases.add(send(operation, "Content-Type application/xml", path, Map.of(), Map.of(), "application/xml", utf8("<a/>")));
            cases.add(send(operation, "Content-Type bogus", path, Map.of(), Map.of(), "no/such; charset=nope", plausibleBody));
            cases.add(send(operation, "Content-Length past every limit", path, Map.of(), Map.of("Content-Length", "68719476736"),
                    bodyType, null));
        }
        cases.add(send(operation, "Accept text/csv", path, Map.of(), Map.of("Accept", "text/csv"), bodyType, plausibleBody));
        cases.add(send(operation, "Accept application/xml", path, Map.of(), Map.of("Accept", "application/xml"), bodyType, plausibleBody));
        return cases;
    }

    /** Methods a route does not take: a 405 (or 404), never a 5xx. */
    List<Case> otherMethods(String pathTemplate, List<String> taken) {
        List<Case> cases = new ArrayList<>();
        OpenApi.Operation any = new OpenApi.Operation("GET", pathTemplate, List.of(), List.of(), null);
        Map<String, String> path = plausiblePath(any);
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")) {
            if (!taken.contains(method)) {
                cases.add(new Case(pathTemplate, "method " + method, method, target(pathTemplate, path, Map.of()), Map.of(),
                        "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method) ? utf8("{}") : null));
            }
        }
        return cases;
    }

    private Case send(OpenApi.Operation operation, String what, Map<String, String> path, Map<String, String> query,
                      Map<String, String> headers, String contentType, byte[] body) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        boolean carriesBody = !operation.method().equals("GET") && !operation.method().equals("HEAD")
                && !operation.method().equals("DELETE");
        if (carriesBody && contentType != null && (body != null || headers.containsKey("Content-Length"))) {
            all.putIfAbsent("Content-Type", contentType);
        }
        return new Case(operation.toString(), what, operation.method(), target(operation.path(), path, query), all,
                carriesBody ? body : null);
    }

    private Map<String, String> plausiblePath(OpenApi.Operation operation) {
        Map<String, String> values = new LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(operation.path());
        while (m.find()) {
            values.put(m.group(1), plausible.getOrDefault(m.group(1), "fuzz"));
        }
        return values;
    }

    private static String target(String template, Map<String, String> path, Map<String, String> query) {
        String target = template;
        for (Map.Entry<String, String> p : path.entrySet()) {
            target = target.replace("{" + p.getKey() + "}", p.getValue());
        }
        if (!query.isEmpty()) {
            StringBuilder q = new StringBuilder();
            query.forEach((name, value) -> q.append(q.isEmpty() ? "?" : "&").append(name).append('=').append(value));
            target += q;
        }
        return target;
    }

    private Map<String, byte[]> badBodies(OpenApi api, OpenApi.Operation operation, JsonNode example) {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("empty", new byte[0]);
        bodies.put("malformed", utf8("{\"a\": [1, 2,"));
        bodies.put("not JSON", utf8("this is not json"));
        bodies.put("null", utf8("null"));
        bodies.put("a string", utf8("\"x\""));
        bodies.put("an array", utf8("[]"));
        bodies.put("an object", utf8("{}"));
        bodies.put("a number past double", utf8("1e400"));
        bodies.put("10,000 nested arrays", utf8("[".repeat(10_000) + "]".repeat(10_000)));
        bodies.put("10,000 nested objects", utf8("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)));
        bodies.put("invalid UTF-8", new byte[]{'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        bodies.put("past the JSON limit", pastLimit());
        if (example instanceof ObjectNode object) {
            ObjectNode unknown = object.deepCopy();
            unknown.put("no_such_field_" + random.nextInt(1000), 1);
            bodies.put("unknown field", bytes(unknown));
            List<String> fields = new ArrayList<>();
            object.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                for (Map.Entry<String, JsonNode> wrong : wrongValues(object.get(field)).entrySet()) {
                    ObjectNode bent = object.deepCopy();
                    bent.set(field, wrong.getValue());
                    bodies.put("'" + field + "' " + wrong.getKey(), bytes(bent));
                }
            }
        } else if (example instanceof ArrayNode array && !array.isEmpty() && array.get(0) instanceof ObjectNode item) {
            List<String> fields = new ArrayList<>();
            item.fieldNames().forEachRemaining(fields::add);
            for (String field : fields) {
                for (Map.Entry<String, JsonNode> wrong : wrongValues(item.get(field)).entrySet()) {
                    ArrayNode bent = array.deepCopy();
                    ((ObjectNode) bent.get(0)).set(field, wrong.getValue());
                    bodies.put("[0]." + field + " " + wrong.getKey(), bytes(bent));
                }
            }
        }
        return bodies;
    }

    /** Values of the wrong JSON type for a field, and numbers out of every range. */
    private Map<String, JsonNode> wrongValues(JsonNode value) {
        Map<String, JsonNode> wrong = new LinkedHashMap<>();
        List<Map.Entry<String, JsonNode>> all = new ArrayList<>(List.of(
                Map.entry("as a string", NODES.textNode("x")),
                Map.entry("as a number", NODES.numberNode(7)),
                Map.entry("as true", NODES.booleanNode(true)),
                Map.entry("as an object", NODES.objectNode().put("x", 1)),
                Map.entry("as an array", NODES.arrayNode().add(1)),
                Map.entry("as null", NODES.nullNode()),
                Map.entry("past long", NODES.numberNode(new java.math.BigInteger("123456789012345678901234567890"))),
                Map.entry("past double", NODES.numberNode(new java.math.BigDecimal("1e400"))),
                Map.entry("negative", NODES.numberNode(-1)),
                Map.entry("a long string", NODES.textNode("z".repeat(100_000))),
                Map.entry("with control characters", NODES.textNode("a\u0000b\u001fc\r\nd"))));
        for (Map.Entry<String, JsonNode> candidate : pick(all, 4)) {
            if (!candidate.getValue().equals(value)) {
                wrong.put(candidate.getKey(), candidate.getValue());
            }
        }
        return wrong;
    }

    /** A plausible value for a schema: enough for the request to get past parsing into the handler. */
    JsonNode example(OpenApi api, JsonNode schema, int depth) {
        JsonNode s = api.resolve(schema);
        if (depth > 6) {
            return NODES.nullNode();
        }
        if (s.has("enum") && !s.get("enum").isEmpty()) {
            return s.get("enum").get(0);
        }
        String type = s.path("type").asText(s.has("properties") ? "object" : "");
        return switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> property = it.next();
                    JsonNode value = example(api, property.getValue(), depth + 1);
                    if (!value.isNull()) {
                        object.set(property.getKey(), value);
                    }
                }
                yield object;
            }
            case "array" -> NODES.arrayNode().add(example(api, s.path("items"), depth + 1));
            case "integer" -> NODES.numberNode(1);
            case "number" -> NODES.numberNode(0.5);
            case "boolean" -> NODES.booleanNode(true);
            case "string" -> NODES.textNode(plausibleString(s));
            default -> NODES.nullNode();
        };
    }

    private static String plausibleString(JsonNode schema) {
        String format = schema.path("format").asText("");
        return switch (format) {
            case "date-time" -> "2026-12-04T12:00:00Z";
            case "date" -> "2026-12-04";
            case "uuid" -> "00000000-0000-4000-8000-000000000000";
            case "duration" -> "PT1H";
            default -> "fuzz-" + Integer.toHexString(schema.hashCode() & 0xfff);
        };
    }

    private static byte[] body(String contentType, JsonNode example) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        if (type.contains("csv")) {
            return utf8("x,y,label\n1,2,0\n3,4,1\n");
        }
        if (type.contains("ndjson") || type.contains("jsonl")) {
            return utf8(example == null ? "{}\n" : (example.isArray() && !example.isEmpty() ? example.get(0) : example) + "\n");
        }
        if (type.contains("form-urlencoded")) {
            return utf8("key=fuzz");
        }
        if (type.contains("json")) {
            return example == null ? utf8("{}") : bytes(example);
        }
        return utf8("fuzz bytes");
    }

    private static byte[] pastLimit() {
        StringBuilder big = new StringBuilder(MAX_JSON_BODY + 100).append("{\"pad\":\"");
        big.append("p".repeat(MAX_JSON_BODY + 10)).append("\"}");
        return utf8(big.toString());
    }

    private <T> List<T> pick(List<T> from, int n) {
        List<T> copy = new ArrayList<>(from);
        for (int i = copy.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, t);
        }
        return copy.subList(0, Math.min(n, copy.size()));
    }

    private static String clip(String value) {
        return value.length() > 24 ? value.substring(0, 20) + "...(" + value.length() + ")" : value;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
