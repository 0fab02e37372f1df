package io.flywheel.deploy.prompt;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A prompt's rollout policy as stored: the document as given (absent fields mean the defaults). */
@Entity
@Table(name = "prompt_rollout_policy")
@IdClass(PromptPolicyRow.Key.class)
public class PromptPolicyRow {

    @Id
    public String project;
    @Id
    public String prompt;
    @JdbcTypeCode(SqlTypes.JSON)
    public PromptPolicyDocument document;
    public Instant updatedAt;
    public String updatedBy;

    public static class Key implements Serializable {
        public String project;
        public String prompt;

        public Key() {
        }

        public Key(String project, String prompt) {
            this.project = project;
            this.prompt = prompt;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && Objects.equals(key.project, project) && Objects.equals(key.prompt, prompt);
        }

        @Override
        public int hashCode() {
            return Objects.hash(project, prompt);
        }
    }
}
