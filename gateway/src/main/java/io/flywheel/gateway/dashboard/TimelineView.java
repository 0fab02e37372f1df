package io.flywheel.gateway.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.smallrye.mutiny.Uni;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A model's timeline as the dashboard shows it, read from registry, retrain and deploy on behalf of
 * the signed-in caller, with what could not be read. Each source gives its newest entries only
 * ({@link #LIMIT}, jobs {@link #JOBS}).
 */
public record TimelineView(Timeline timeline, List<String> problems) {

    static final int LIMIT = 50;
    static final int JOBS = 20;

    private static final String REGISTRY = "registry-service";
    private static final String RETRAIN = "retrain-service";
    private static final String DEPLOY = "deploy-service";

    /** How many of each list's newest entries are read. */
    public int limit() {
        return LIMIT;
    }

    /** How many of the newest jobs are read. */
    public int jobLimit() {
        return JOBS;
    }

    /** A list and, for each of its keys, a second call (a job's detail, an environment's history, an alias's moves). */
    private record Fan(ServiceCalls.Answer list, Map<String, ServiceCalls.Answer> details) {
    }

    /** {@code model} is URL-encoded already. */
    static Uni<TimelineView> load(ServiceCalls services, String model, String principal) {
        Uni<ServiceCalls.Answer> triggers = services.get(RETRAIN, "/api/v1/retrain/triggers?model=" + model + "&limit=" + LIMIT, principal);
        Uni<ServiceCalls.Answer> versions = services.get(REGISTRY, "/api/v1/models/" + model + "/versions?limit=" + LIMIT, principal);
        Uni<Fan> jobs = fan(services.get(RETRAIN, "/api/v1/retrain/jobs?model=" + model + "&limit=" + JOBS, principal),
                body -> keys(ModelView.items(body), "id"),
                id -> services.get(RETRAIN, "/api/v1/retrain/jobs/" + encode(id), principal));
        Uni<Fan> deployments = fan(services.get(DEPLOY, "/api/v1/deployments/" + model, principal),
                body -> keys(body.path("environments"), "name"),
                env -> services.get(DEPLOY, "/api/v1/deployments/" + model + "/" + encode(env) + "/history?limit=" + LIMIT, principal));
        Uni<Fan> aliases = fan(services.get(REGISTRY, "/api/v1/models/" + model + "/aliases", principal),
                TimelineView::movableAliases,
                alias -> services.get(REGISTRY, "/api/v1/models/" + model + "/aliases/" + encode(alias) + "/history?limit=" + LIMIT, principal));
        return Uni.combine().all().unis(triggers, versions, jobs, deployments, aliases).asTuple().map(t -> {
            List<String> problems = new ArrayList<>();
            Timeline.Builder timeline = new Timeline.Builder();
            ModelView.note(problems, "retrain", t.getItem1());
            timeline.triggers(items(t.getItem1()));
            ModelView.note(problems, "registry", t.getItem2());
            timeline.versions(items(t.getItem2()));
            ModelView.note(problems, "retrain", t.getItem3().list());
            for (JsonNode job : items(t.getItem3().list())) { // a job whose detail can't be read shows its current state
                ServiceCalls.Answer detail = t.getItem3().details().get(job.path("id").asText());
                timeline.job(detail != null && detail.ok() ? detail.body() : job);
            }
            ModelView.note(problems, "deploy", t.getItem4().list());
            t.getItem4().details().forEach((env, history) -> {
                ModelView.note(problems, "deploy (" + env + ")", history);
                timeline.deployHistory(env, items(history));
            });
            ModelView.note(problems, "registry", t.getItem5().list());
            t.getItem5().details().forEach((alias, moves) -> {
                ModelView.note(problems, "registry (alias " + alias + ")", moves);
                timeline.aliasMoves(alias, items(moves));
            });
            return new TimelineView(timeline.build(), problems);
        });
    }

    private static Uni<Fan> fan(Uni<ServiceCalls.Answer> list, Function<JsonNode, List<String>> keys,
                                Function<String, Uni<ServiceCalls.Answer>> detail) {
        return list.chain(answer -> {
            List<String> names = answer.ok() ? keys.apply(answer.body()) : List.of();
            if (names.isEmpty()) {
                return Uni.createFrom().item(new Fan(answer, Map.of()));
            }
            return Uni.join().all(names.stream().map(detail).toList()).andFailFast().map(answers -> {
                Map<String, ServiceCalls.Answer> details = new LinkedHashMap<>();
                for (int i = 0; i < names.size(); i++) {
                    details.put(names.get(i), answers.get(i));
                }
                return new Fan(answer, details);
            });
        });
    }

    /** Aliases someone sets (and deploy moves); {@code latest} is derived and has no moves. */
    private static List<String> movableAliases(JsonNode aliases) {
        List<String> names = new ArrayList<>();
        for (JsonNode alias : aliases) {
            if (!alias.path("derived").asBoolean(false) && alias.hasNonNull("alias")) {
                names.add(alias.get("alias").asText());
            }
        }
        return names;
    }

    private static List<String> keys(JsonNode items, String field) {
        List<String> keys = new ArrayList<>();
        for (JsonNode item : items) {
            if (item.hasNonNull(field)) {
                keys.add(item.get(field).asText());
            }
        }
        return keys;
    }

    /** The answer's items; nothing when there is no answer. */
    private static JsonNode items(ServiceCalls.Answer answer) {
        return answer.ok() ? ModelView.items(answer.body()) : MissingNode.getInstance();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
