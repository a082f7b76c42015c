package dev.lookout.collector.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.JWTVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Session tokens: JWTs signed with HMAC-SHA256 by a secret generated at first start and kept in
 * {@code jwt.secret} in the data directory (so sessions survive a restart). Logout revokes a
 * token's id until the token would have expired anyway.
 */
public final class Tokens {

  static final String FILE = "jwt.secret";
  static final String ISSUER = "lookout";
  public static final Duration LIFETIME = Duration.ofHours(12);

  private final Algorithm algorithm;
  private final JWTVerifier verifier;
  private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

  private Tokens(byte[] secret) {
    this.algorithm = Algorithm.HMAC256(secret);
    this.verifier = JWT.require(algorithm).withIssuer(ISSUER).build();
  }

  public static Tokens open(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE);
    String hex = SecretFiles.read(file);
    if (hex == null) {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      hex = HexFormat.of().formatHex(secret);
      SecretFiles.write(file, hex);
    }
    return new Tokens(HexFormat.of().parseHex(hex));
  }

  /** A signed token for {@code user}, and when it expires. */
  public record Issued(String token, Instant expiresAt) {}

  public Issued issue(String user) {
    Instant now = Instant.now();
    Instant expires = now.plus(LIFETIME);
    String token = JWT.create().withIssuer(ISSUER).withSubject(user).withIssuedAt(now).withExpiresAt(expires)
        .withJWTId(UUID.randomUUID().toString()).sign(algorithm);
    return new Issued(token, expires);
  }

  /** The user of a valid, unexpired, unrevoked token; null otherwise. */
  public String verify(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    try {
      DecodedJWT jwt = verifier.verify(token);
      if (jwt.getId() != null && revoked.containsKey(jwt.getId())) {
        return null;
      }
      return jwt.getSubject();
    } catch (JWTVerificationException e) {
      return null;
    }
  }

  public void revoke(String token) {
    try {
      DecodedJWT jwt = verifier.verify(token);
      if (jwt.getId() != null) {
        revoked.put(jwt.getId(), jwt.getExpiresAtAsInstant());
      }
    } catch (JWTVerificationException ignored) {
      // an invalid token needs no revoking
    }
    Instant now = Instant.now();
    revoked.values().removeIf(expiry -> expiry.isBefore(now));
  }
}
