package io.flywheel.gateway.llm;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An LLM project: the owner of the traces its key pairs send. Its id scopes every read of them. */
@Entity
@Table(name = "llm_project")
public class LlmProject {
    @Id
    public String id;
    public String name;
    public String createdBy;
    public Instant createdAt;
}
