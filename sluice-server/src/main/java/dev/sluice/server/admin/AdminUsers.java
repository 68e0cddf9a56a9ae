package dev.sluice.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API's accounts ({@code /v1/users/inet} in MaxScale), stored as salted PBKDF2-SHA256 hashes
 * in {@code <datadir>/admin-users.json}. When the file holds no users the default {@code admin}/{@code mariadb}
 * account is created (and written, when datadir is writable). Thread-safe.
 */
public final class AdminUsers {
    private static final Logger log = LoggerFactory.getLogger(AdminUsers.class);
    static final String FILE_NAME = "admin-users.json";
    static final String DEFAULT_USER = "admin";
    static final String DEFAULT_PASSWORD = "mariadb";
    private static final int ITERATIONS = 20_000;

    record Account(String name, String account, byte[] salt, byte[] hash) {
    }

    private final Map<String, Account> accounts = new LinkedHashMap<>();
    /** SHA-256 of "user:password" pairs already verified: PBKDF2 is deliberately slow, requests should not be. */
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    private AdminUsers() {
    }

    /** Loads the users file under {@code datadir}, creating the default account when there are no users. */
    public static AdminUsers load(Path datadir) {
        AdminUsers users = new AdminUsers();
        Path file = datadir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                JsonNode root = JsonApi.MAPPER.readTree(file.toFile());
                for (JsonNode u : root.path("users")) {
                    Base64.Decoder d = Base64.getDecoder();
                    Account a = new Account(u.path("name").asText(), u.path("account").asText("admin"),
                            d.decode(u.path("salt").asText()), d.decode(u.path("hash").asText()));
                    users.accounts.put(a.name(), a);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            log.error("Admin users file {} is unreadable ({}); using only the default account", file, e.getMessage());
            users.accounts.clear();
        }
        if (users.accounts.isEmpty()) {
            users.add(DEFAULT_USER, DEFAULT_PASSWORD, "admin");
            try {
                users.save(file);
            } catch (IOException e) {
                log.warn("Cannot write admin users file {} ({}); the default account lives in memory only", file,
                        e.getMessage());
            }
        }
        return users;
    }

    synchronized void add(String name, String password, String account) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        accounts.put(name, new Account(name, account, salt, hash(password, salt)));
    }

    synchronized void save(Path file) throws IOException {
        ObjectNode root = JsonApi.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("users");
        Base64.Encoder e = Base64.getEncoder();
        for (Account a : accounts.values()) {
            list.addObject().put("name", a.name()).put("account", a.account())
                    .put("salt", e.encodeToString(a.salt())).put("hash", e.encodeToString(a.hash()));
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.writeString(tmp, JsonApi.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** True when {@code user} exists and {@code password} is its password. */
    public boolean check(String user, String password) {
        String key = digest(user + ":" + password);
        if (verified.contains(key)) {
            return true;
        }
        Account a;
        synchronized (this) {
            a = accounts.get(user);
        }
        if (a == null || !MessageDigest.isEqual(a.hash(), hash(password, a.salt()))) {
            return false;
        }
        verified.add(key);
        return true;
    }

    synchronized Set<String> names() {
        return Set.copyOf(accounts.keySet());
    }

    private static byte[] hash(String password, byte[] salt) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }

    private static String digest(String s) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
