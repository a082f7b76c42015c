package dev.lookout.collector.ingest;

import dev.lookout.collector.http.ListenAddress;

/** What an OTLP listener needs to know: its address, the largest body it takes and the token it asks for (or null). */
public record OtlpSettings(ListenAddress address, long maxBody, String ingestToken) {}
