package io.flywheel.llm.eval;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The output is JSON, and valid against a JSON Schema when one is given (draft 2020-12 unless its
 * {@code $schema} names another). A model that wraps its JSON in one Markdown code fence is read
 * inside the fence unless {@code strip_code_fence} is false. The validator is networknt's, which
 * speaks Jackson 3; it is told never to fetch a remote {@code $ref}.
 */
final class JsonSchemaValidity implements Evaluator {

    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final Pattern FENCE = Pattern.compile("\\A```[a-zA-Z0-9_-]*\\s*\\n(.*?)\\n?```\\z", Pattern.DOTALL);
    private static final int MAX_ERRORS_IN_COMMENT = 3;

    private final String name;
    private final Schema schema;
    private final boolean stripCodeFence;

    JsonSchemaValidity(String name, Map<String, Object> schema, boolean stripCodeFence, Params params) {
        this.name = name;
        this.stripCodeFence = stripCodeFence;
        this.schema = schema == null ? null : compile(schema, params);
    }

    private static Schema compile(Map<String, Object> schema, Params params) {
        try {
            SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));
            Schema compiled = registry.getSchema(JSON.valueToTree(schema));
            // resolves its keywords and $refs now, so a broken schema is the spec's fault, not a case's
            compiled.initializeValidators();
            return compiled;
        } catch (RuntimeException e) {
            throw params.invalid("'schema' is not a usable JSON Schema: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public EvalScore evaluate(EvalCase evalCase) {
        String text = Cases.output(evalCase).strip();
        if (stripCodeFence) {
            Matcher fenced = FENCE.matcher(text);
            if (fenced.matches()) {
                text = fenced.group(1).strip();
            }
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JacksonException e) {
            return EvalScore.bool(name, false, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            return EvalScore.bool(name, false, "not valid JSON: the output is empty");
        }
        if (schema == null) {
            return EvalScore.bool(name, true, "valid JSON");
        }
        List<Error> errors = schema.validate(node);
        if (errors.isEmpty()) {
            return EvalScore.bool(name, true, "valid against the schema");
        }
        String shown = errors.stream().limit(MAX_ERRORS_IN_COMMENT).map(Error::toString).collect(Collectors.joining("; "));
        return EvalScore.bool(name, false, errors.size() + " schema violation(s): " + shown
                + (errors.size() > MAX_ERRORS_IN_COMMENT ? "; ..." : ""));
    }
}
