package io.flywheel.registry.rest;

import java.time.Instant;

/** A time-limited URL to GET an artifact straight from S3, with what it will return. */
public record PresignedUrlView(String url, Instant expiresAt, String sha256, long sizeBytes, String contentType) {
}
