package io.flywheel.gateway.llm;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Creating and listing LLM projects; issuing and revoking their key pairs. */
@ApplicationScoped
public class LlmProjects {

    /** A project with its pairs (no secrets). */
    public record Listed(LlmProject project, List<LlmKeyPair> pairs) {
    }

    /** A new pair and its secret key, which exists only in this answer. */
    public record Issued(LlmProject project, LlmKeyPair pair, String secretKey) {
    }

    public static class ProjectNotFoundException extends RuntimeException {
        public ProjectNotFoundException(String id) {
            super("LLM project '" + id + "' does not exist", null, false, false);
        }
    }

    public static class KeyPairNotFoundException extends RuntimeException {
        public KeyPairNotFoundException(String projectId, String publicKey) {
            super("LLM project '" + projectId + "' has no key pair '" + publicKey + "'", null, false, false);
        }
    }

    public static class ProjectNameTakenException extends RuntimeException {
        public ProjectNameTakenException(String name) {
            super("an LLM project named '" + name + "' already exists; pick another name", null, false, false);
        }
    }

    private final LlmKeyLookup lookup;

    public LlmProjects(LlmKeyLookup lookup) {
        this.lookup = lookup;
    }

    /** A new project and its first key pair. */
    @WithTransaction
    public Uni<Issued> create(String name, String createdBy) {
        return Panache.getSession()
                .chain(s -> s.createQuery("select count(p) from LlmProject p where p.name = :name", Long.class)
                        .setParameter("name", name).getSingleResult()
                        .chain(taken -> {
                            if (taken > 0) {
                                return Uni.createFrom().failure(new ProjectNameTakenException(name));
                            }
                            LlmProject project = new LlmProject();
                            project.id = LlmKeys.projectId();
                            project.name = name;
                            project.createdBy = createdBy;
                            project.createdAt = now();
                            return s.persist(project).chain(s::flush).chain(() -> issue(s, project, createdBy));
                        }))
                .invoke(issued -> Log.infof("LLM project %s (%s) created by %s, key pair %s", issued.project().id,
                        issued.project().name, createdBy, issued.pair().publicKey));
    }

    /** Another key pair for a project (to rotate: issue one, move the clients, revoke the old one). */
    @WithTransaction
    public Uni<Issued> issue(String projectId, String createdBy) {
        return Panache.getSession().chain(s -> s.find(LlmProject.class, projectId)
                .onItem().ifNull().failWith(() -> new ProjectNotFoundException(projectId))
                .chain(project -> issue(s, project, createdBy)))
                .invoke(issued -> Log.infof("key pair %s issued for LLM project %s by %s", issued.pair().publicKey, projectId, createdBy));
    }

    private static Uni<Issued> issue(org.hibernate.reactive.mutiny.Mutiny.Session s, LlmProject project, String createdBy) {
        LlmKeys.NewPair fresh = LlmKeys.generate();
        LlmKeyPair pair = new LlmKeyPair();
        pair.publicKey = fresh.publicKey();
        pair.projectId = project.id;
        pair.secretHash = fresh.secretHash();
        pair.createdBy = createdBy;
        pair.createdAt = now();
        return s.persist(pair).replaceWith(new Issued(project, pair, fresh.secretKey()));
    }

    @WithSession
    public Uni<List<Listed>> list() {
        return Panache.getSession().chain(s -> s.createQuery("from LlmProject p order by p.createdAt, p.id", LlmProject.class).getResultList()
                .chain(projects -> s.createQuery("from LlmKeyPair k order by k.createdAt, k.publicKey", LlmKeyPair.class).getResultList()
                        .map(pairs -> {
                            Map<String, List<LlmKeyPair>> byProject = pairs.stream().collect(Collectors.groupingBy(k -> k.projectId));
                            return projects.stream().map(p -> new Listed(p, byProject.getOrDefault(p.id, List.of()))).toList();
                        })));
    }

    @WithSession
    public Uni<Listed> get(String projectId) {
        return Panache.getSession().chain(s -> s.find(LlmProject.class, projectId)
                .onItem().ifNull().failWith(() -> new ProjectNotFoundException(projectId))
                .chain(project -> s.createQuery("from LlmKeyPair k where k.projectId = :project order by k.createdAt, k.publicKey",
                                LlmKeyPair.class).setParameter("project", projectId).getResultList()
                        .map(pairs -> new Listed(project, pairs))));
    }

    /** Revokes a pair: its clients get 401 from now on (through another gateway instance within 10 s). */
    @WithTransaction
    public Uni<LlmKeyPair> revoke(String projectId, String publicKey) {
        return Panache.getSession().chain(s -> s.find(LlmKeyPair.class, publicKey))
                .onItem().ifNull().failWith(() -> new KeyPairNotFoundException(projectId, publicKey))
                .invoke(pair -> {
                    if (!pair.projectId.equals(projectId)) {
                        throw new KeyPairNotFoundException(projectId, publicKey);
                    }
                    if (pair.revokedAt == null) {
                        pair.revokedAt = now();
                        Log.infof("key pair %s of LLM project %s revoked", publicKey, projectId);
                    }
                })
                .invoke(pair -> lookup.forget(publicKey));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
