package dev.lookout.collector.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lookout.collector.http.ApiError;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.function.Consumer;

/**
 * Login, logout and the gate in front of every {@code /api/*} route: a JWT as
 * {@code Authorization: Bearer …} (API clients) or in the HttpOnly, SameSite=Strict session cookie
 * (the UI). {@code /healthz} and the static UI stay open; the UI shows its login page on a 401.
 */
public final class AuthRoutes {

  public static final String COOKIE = "lookout_session";
  private static final ObjectMapper JSON = new ObjectMapper();

  private AuthRoutes() {}

  public static Consumer<JavalinConfig> of(AdminAccount admin, Tokens tokens, boolean publicMetrics) {
    LoginThrottle throttle = new LoginThrottle();
    return config -> {
      config.routes.before("/api/*", ctx -> {
        if (!ctx.path().equals("/api/login")) {
          ctx.attribute("lookout.user", requireUser(ctx, tokens));
        }
      });
      if (!publicMetrics) {
        config.routes.before("/metrics", ctx -> requireUser(ctx, tokens));
      }
      config.routes.post("/api/login", ctx -> {
        String address = ctx.ip();
        long wait = throttle.waitMs(address);
        if (wait > 0) {
          ctx.header("Retry-After", Long.toString((wait + 999) / 1000));
          throw new ApiError(429, "too many failed logins; try again in " + ((wait + 999) / 1000) + " s");
        }
        JsonNode body;
        try {
          body = JSON.readTree(ctx.body());
        } catch (Exception e) {
          throw new ApiError(400, "the body must be JSON: {\"username\": …, \"password\": …}");
        }
        if (body == null || !body.path("username").isTextual() || !body.path("password").isTextual()) {
          throw new ApiError(400, "the body must be JSON: {\"username\": …, \"password\": …}");
        }
        if (!admin.verify(body.get("username").asText(), body.get("password").asText())) {
          throttle.failed(address);
          throw new ApiError(401, "wrong username or password");
        }
        throttle.succeeded(address);
        Tokens.Issued issued = tokens.issue(AdminAccount.USER);
        ctx.header("Set-Cookie", COOKIE + "=" + issued.token() + "; Path=/; Max-Age=" + Tokens.LIFETIME.toSeconds()
            + "; HttpOnly; SameSite=Strict");
        ctx.contentType("application/json").result(JSON.createObjectNode().put("token", issued.token())
            .put("expiresAt", issued.expiresAt().toEpochMilli()).toString());
      });
      config.routes.post("/api/logout", ctx -> {
        tokens.revoke(token(ctx));
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        ctx.contentType("application/json").result("{}");
      });
      config.routes.get("/api/me", ctx -> ctx.contentType("application/json")
          .result(JSON.createObjectNode().put("user", (String) ctx.attribute("lookout.user")).toString()));
    };
  }

  private static String requireUser(Context ctx, Tokens tokens) {
    String user = tokens.verify(token(ctx));
    if (user == null) {
      throw new ApiError(401, "login required");
    }
    return user;
  }

  /** The bearer token, else the session cookie. */
  static String token(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    return ctx.cookie(COOKIE);
  }

  /** Without authentication, {@code /api/me} still answers, for the UI. */
  public static Consumer<JavalinConfig> open() {
    return config -> config.routes.get("/api/me", ctx -> ctx.contentType("application/json")
        .result("{\"user\":null,\"auth\":false}"));
  }
}
