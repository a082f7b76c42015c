package dev.lookout.collector.api;

import dev.lookout.collector.store.backend.StorageHealth;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/** How disk trouble shows on {@code /healthz} and in {@code /api/stats}. */
final class StorageRoutes {

  private StorageRoutes() {}

  /**
   * 200 {@code {"status":"ok"}}, or 503 {@code {"status":"storage-failing", "storage":{…}}} while
   * commits fail: a load balancer or orchestrator then sends agents elsewhere, and an operator
   * sees why at a glance.
   */
  static void health(Context ctx, StorageHealth health) {
    StorageHealth.Trouble t = health.trouble();
    if (t == null) {
      ApiServer.json(ctx, Json.object().put("status", "ok"));
      return;
    }
    ObjectNode body = Json.object().put("status", "storage-failing");
    body.set("storage", describe(health));
    ctx.status(503);
    ApiServer.json(ctx, body);
  }

  /** {@code {"ok":true,"failedCommits":n}} or, in trouble, also problem, explanation, detail and since. */
  static ObjectNode describe(StorageHealth health) {
    StorageHealth.Trouble t = health.trouble();
    ObjectNode storage = Json.object().put("ok", t == null).put("failedCommits", health.failedCommits());
    if (t != null) {
      storage.put("problem", t.problem().key).put("explanation", t.problem().explanation)
          .put("detail", t.detail()).put("since", t.sinceMillis());
    }
    return storage;
  }
}
