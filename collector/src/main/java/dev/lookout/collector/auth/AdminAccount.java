package dev.lookout.collector.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The {@code admin} user. Its Argon2id hash lives in {@code admin.hash} in the data directory. At
 * first start a strong password is generated and printed once; {@code --admin-password} sets it.
 */
public final class AdminAccount {

  public static final String USER = "admin";
  static final String FILE = "admin.hash";
  private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private final String hash;

  private AdminAccount(String hash) {
    this.hash = hash;
  }

  /** Loads the account, creating or resetting it; prints a generated password exactly once. */
  public static AdminAccount open(Path dataDir, String configuredPassword, java.io.PrintStream notices)
      throws IOException {
    Path file = dataDir.resolve(FILE);
    String hash = SecretFiles.read(file);
    if (configuredPassword != null) {
      if (hash == null || !PasswordHasher.verify(configuredPassword, hash)) {
        hash = PasswordHasher.hash(configuredPassword);
        SecretFiles.write(file, hash);
      }
    } else if (hash == null) {
      String generated = generate(24);
      hash = PasswordHasher.hash(generated);
      SecretFiles.write(file, hash);
      notices.println("Generated password for the UI user 'admin' (shown only now; set another with"
          + " --admin-password): " + generated);
    }
    return new AdminAccount(hash);
  }

  public boolean verify(String user, String password) {
    return USER.equals(user) && password != null && PasswordHasher.verify(password, hash);
  }

  static String generate(int length) {
    SecureRandom random = new SecureRandom();
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }
}
