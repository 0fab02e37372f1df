-- Per Kafka partition: the next offset to read and what was counted up to it, saved together
-- by SmallRye Kafka's checkpoint commit strategy (state store: Hibernate Reactive).
CREATE TABLE prediction_tally (
    consumer_group_id text    NOT NULL,
    topic             text    NOT NULL,
    partition         integer NOT NULL,
    record_offset     bigint  NOT NULL,
    counts            jsonb   NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (consumer_group_id, topic, partition)
);
