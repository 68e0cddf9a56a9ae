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
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API's accounts ({@code /v1/users/inet} in MaxScale), stored as salted PBKDF2-SHA256 hashes
 * in {@code <datadir>/admin-users.json}. An {@code admin} account may change things, a {@code basic} account
 * only read. When the file holds no users the default {@code admin}/{@code mariadb} account is created (and
 * written, when datadir is writable). Every change is written to the file before it is answered. Thread-safe:
 * the account map is guarded by {@code this}; the cache of verified passwords is a concurrent set.
 */
public final class AdminUsers {
    private static final Logger log = LoggerFactory.getLogger(AdminUsers.class);
    static final String FILE_NAME = "admin-users.json";
    static final String DEFAULT_USER = "admin";
    static final String DEFAULT_PASSWORD = "mariadb";
    static final String ADMIN = "admin";
    static final String BASIC = "basic";
    private static final int ITERATIONS = 20_000;

    record Account(String name, String account, byte[] salt, byte[] hash, long createdMillis) {
        boolean isAdmin() {
            return ADMIN.equals(account);
        }
    }

    /** Who made a request, as authentication established it. */
    record Principal(String name, String account) {
        boolean mayWrite() {
            return ADMIN.equals(account);
        }
    }

    /** A refused change; the message names what was wrong. */
    static final class UserException extends Exception {
        final int status;

        UserException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private final Map<String, Account> accounts = new LinkedHashMap<>(); // guarded by this
    /** SHA-256 of "user:password" pairs already verified: PBKDF2 is deliberately slow, requests should not be. */
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();
    private final Path file;

    private AdminUsers(Path file) {
        this.file = file;
    }

    /** Loads the users file under {@code datadir}, creating the default account when there are no users. */
    public static AdminUsers load(Path datadir) {
        Path file = datadir.resolve(FILE_NAME);
        AdminUsers users = new AdminUsers(file);
        try {
            if (Files.exists(file)) {
                JsonNode root = JsonApi.MAPPER.readTree(file.toFile());
                for (JsonNode u : root.path("users")) {
                    Base64.Decoder d = Base64.getDecoder();
                    Account a = new Account(u.path("name").asText(), u.path("account").asText(ADMIN),
                            d.decode(u.path("salt").asText()), d.decode(u.path("hash").asText()),
                            u.path("created").asLong(System.currentTimeMillis()));
                    users.accounts.put(a.name(), a);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            log.error("Admin users file {} is unreadable ({}); using only the default account", file, e.getMessage());
            users.accounts.clear();
        }
        if (users.accounts.isEmpty()) {
            users.put(DEFAULT_USER, DEFAULT_PASSWORD, ADMIN);
            try {
                users.save();
            } catch (IOException e) {
                log.warn("Cannot write admin users file {} ({}); the default account lives in memory only", file,
                        e.getMessage());
            }
        }
        return users;
    }

    /** Creates an account; 400 when it exists (as MaxScale), or for an empty name or password or an unknown account type. */
    synchronized void create(String name, String password, String account) throws UserException {
        checkName(name);
        checkPassword(password);
        if (!ADMIN.equals(account) && !BASIC.equals(account)) {
            throw new UserException(400, "Invalid value for 'account': '" + account + "' (expected: admin or basic)");
        }
        if (accounts.containsKey(name)) {
            throw new UserException(400, "Admin user '" + name + "' already exists");
        }
        put(name, password, account);
        persist(() -> accounts.remove(name));
    }

    /** Changes the password of an existing account. */
    synchronized void changePassword(String name, String password) throws UserException {
        checkPassword(password);
        Account old = require(name);
        put(name, password, old.account());
        forget(name);
        persist(() -> accounts.put(name, old));
    }

    /** Removes an account; the last admin account cannot be removed (nobody could change anything any more). */
    synchronized void remove(String name) throws UserException {
        Account old = require(name);
        if (old.isAdmin() && accounts.values().stream().filter(Account::isAdmin).count() == 1) {
            throw new UserException(400, "Cannot delete '" + name + "': it is the last admin account");
        }
        accounts.remove(name);
        forget(name);
        persist(() -> accounts.put(name, old));
    }

    private Account require(String name) throws UserException {
        Account a = accounts.get(name);
        if (a == null) {
            throw new UserException(404, "No admin user named '" + name + "'");
        }
        return a;
    }

    private static void checkName(String name) throws UserException {
        if (name == null || name.isEmpty() || name.contains(":") || name.chars().anyMatch(Character::isISOControl)) {
            throw new UserException(400, "Invalid value for 'id': '" + (name == null ? "" : name)
                    + "' (expected: a non-empty user name without ':' or control characters)");
        }
    }

    private static void checkPassword(String password) throws UserException {
        if (password == null || password.isEmpty()) {
            throw new UserException(400, "Missing value for 'password' (expected: a non-empty string)");
        }
    }

    /** Writes the file; when that fails, undoes the change in memory and reports it. */
    private void persist(Runnable undo) throws UserException {
        try {
            save();
        } catch (IOException e) {
            undo.run();
            throw new UserException(500, "Cannot write admin users file " + file + ": " + e.getMessage());
        }
    }

    private void forget(String name) {
        verified.removeIf(k -> k.startsWith(name.length() + ":" + name + ":"));
    }

    private void put(String name, String password, String account) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        accounts.put(name, new Account(name, account, salt, hash(password, salt), System.currentTimeMillis()));
    }

    private void save() throws IOException {
        ObjectNode root = JsonApi.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("users");
        Base64.Encoder e = Base64.getEncoder();
        for (Account a : accounts.values()) {
            list.addObject().put("name", a.name()).put("account", a.account())
                    .put("salt", e.encodeToString(a.salt())).put("hash", e.encodeToString(a.hash()))
                    .put("created", a.createdMillis());
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.writeString(tmp, JsonApi.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The account when {@code user} exists and {@code password} is its password, else null. */
    Principal authenticate(String user, String password) {
        Account a;
        synchronized (this) {
            a = accounts.get(user);
        }
        if (a == null) {
            return null;
        }
        // the key starts with the name's length and the name, so forget(name) can find it without ambiguity
        String key = user.length() + ":" + user + ":" + digest(password, a.salt());
        if (verified.contains(key)) {
            return new Principal(a.name(), a.account());
        }
        if (!MessageDigest.isEqual(a.hash(), hash(password, a.salt()))) {
            return null;
        }
        verified.add(key);
        return new Principal(a.name(), a.account());
    }

    /** True when {@code user} exists and {@code password} is its password. */
    public boolean check(String user, String password) {
        return authenticate(user, password) != null;
    }

    /** The account named {@code name} as it is now (its type may have changed, or it may be gone). */
    synchronized Account find(String name) {
        return accounts.get(name);
    }

    synchronized List<Account> all() {
        return new ArrayList<>(accounts.values());
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

    private static String digest(String password, byte[] salt) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(salt);
            return Base64.getEncoder().encodeToString(md.digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
