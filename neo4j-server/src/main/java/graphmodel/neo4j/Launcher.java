package graphmodel.neo4j;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.configuration.ssl.ClientAuth;
import org.neo4j.configuration.ssl.SslPolicyConfig;
import org.neo4j.configuration.ssl.SslPolicyScope;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Starts a Neo4j Community DBMS embedded in this JVM with only the Bolt connector on
 * 127.0.0.1 and authentication on, user {@code neo4j} with a fixed test password (env
 * NEO4J_TEST_PASSWORD, default {@code graphmodel-test}), for graphmodel development and
 * tests. Authentication is on so that a wrong password can be tested for real.
 *
 * <p>Usage: {@code Launcher [home] [port]}. Fallbacks: env NEO4J_HOME_DIR / NEO4J_PORT,
 * then {@code neo4j-server/run/home} (relative to the cwd) and 7687.
 * Optional env: NEO4J_PAGECACHE_MB (default 512), NEO4J_TX_TIMEOUT_S (default 1800: a
 * national-scale load is one transaction of about a million relationships),
 * NEO4J_TLS_DIR (a folder holding {@code private.key} and {@code public.crt}, PEM: Bolt then
 * requires TLS with that certificate, through Neo4j's {@code dbms.ssl.policy.bolt.*} policy),
 * NEO4J_TX_MEMORY_MAX (for example {@code 16m}: {@code db.memory.transaction.total.max}, the
 * memory all transactions of the database may hold together, as small as a hosted service's).
 *
 * <p>Prints exactly one line {@code graphmodel-neo4j READY bolt://127.0.0.1:PORT} (with TLS,
 * {@code bolt+s://}) to stdout once the database answers {@code RETURN 1} and the Bolt port
 * completes a handshake, and {@code graphmodel-neo4j STOPPED} after a clean shutdown
 * (SIGTERM / SIGINT).
 */
public final class Launcher {
    private static final String HOST = "127.0.0.1";

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(arg(args, 0, "NEO4J_HOME_DIR", "neo4j-server/run/home")).toAbsolutePath();
        int port = Integer.parseInt(arg(args, 1, "NEO4J_PORT", "7687"));
        long pageCacheMb = Long.parseLong(env("NEO4J_PAGECACHE_MB", "512"));
        long txTimeoutS = Long.parseLong(env("NEO4J_TX_TIMEOUT_S", "1800"));
        String password = env("NEO4J_TEST_PASSWORD", "graphmodel-test");
        String tlsDir = env("NEO4J_TLS_DIR", "");
        String txMemoryMax = env("NEO4J_TX_MEMORY_MAX", "");
        boolean tls = !tlsDir.isEmpty();

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofSeconds(txTimeoutS))
                // Small disk footprint: no 256 MiB preallocated tx log per database.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(64))
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "1 files")
                // dbms.usage_report.enabled: no phoning home from dev/test servers.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Internal setting (checked at compile time against the pinned version): the
                // default 5 s Netty quiet period makes every shutdown wait 5-10 s for nothing.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);
        if (tls) {
            Path certificates = Path.of(tlsDir).toAbsolutePath();
            for (String file : new String[] {"private.key", "public.crt"}) {
                if (!Files.isReadable(certificates.resolve(file))) {
                    System.out.println("graphmodel-neo4j FAILED: no readable " + certificates.resolve(file));
                    System.exit(1);
                }
            }
            SslPolicyConfig bolt = SslPolicyConfig.forScope(SslPolicyScope.BOLT);
            builder.setConfig(bolt.enabled, true)
                    .setConfig(bolt.base_directory, certificates)
                    .setConfig(bolt.private_key, certificates.resolve("private.key"))
                    .setConfig(bolt.public_certificate, certificates.resolve("public.crt"))
                    .setConfig(bolt.client_auth, ClientAuth.NONE)
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.REQUIRED);
        } else {
            builder.setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED);
        }
        if (!txMemoryMax.isEmpty()) {
            builder.setConfig(GraphDatabaseSettings.memory_transaction_database_max_size, ByteUnit.parse(txMemoryMax));
        }
        DatabaseManagementService dbms = builder.build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
                System.out.println("graphmodel-neo4j STOPPED");
            } catch (Throwable t) {
                System.out.println("graphmodel-neo4j SHUTDOWN FAILED: " + t);
                t.printStackTrace();
            } finally {
                System.out.flush();
                stopped.countDown();
            }
        }, "graphmodel-neo4j-shutdown"));

        try {
            // Embedded transactions bypass authentication, so the system database can
            // set the test password (and clear the change-on-first-login flag) directly.
            setTestPassword(dbms, password);
            dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
            boltHandshake(port, tls);
        } catch (Throwable t) {
            System.out.println("graphmodel-neo4j FAILED: " + t);
            t.printStackTrace();
            System.out.flush();
            System.exit(1); // shutdown hook stops the DBMS
        }

        System.out.println("graphmodel-neo4j READY " + (tls ? "bolt+s" : "bolt") + "://" + HOST + ":" + port);
        System.out.flush();
        stopped.await();
    }

    /**
     * Sets the neo4j user's password and clears the change-on-first-login flag. On a restart
     * over existing data the password is usually set already, which Neo4j refuses as "the
     * same"; that case is fine and ignored.
     */
    private static void setTestPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    java.util.Map.of("password", password));
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.contains("Old password and new password cannot be the same")) {
                throw e;
            }
        }
    }

    /**
     * Raw Bolt handshake: proves the connector listens and speaks Bolt 4.4 or 5.x (over TLS
     * when {@code tls}). The probe accepts any certificate: it only checks that this server's
     * own port answers, and sends nothing but the handshake.
     */
    private static void boltHandshake(int port, boolean tls) throws Exception {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(HOST, port), 5000);
        try (Socket s = tls ? tlsOver(plain, port) : plain) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {
                (byte) 0x60, (byte) 0x60, (byte) 0xB0, (byte) 0x17, // magic preamble
                0, 8, 8, 5,  // 5.8 .. 5.0
                0, 0, 4, 4,  // 4.4
                0, 0, 0, 0,
                0, 0, 0, 0});
            out.flush();
            int version = new DataInputStream(s.getInputStream()).readInt();
            if (version == 0) {
                throw new IllegalStateException("Bolt handshake: no common protocol version");
            }
        }
    }

    private static Socket tlsOver(Socket plain, int port) throws Exception {
        TrustManager acceptAny = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {acceptAny}, null);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, HOST, port, true);
        tls.setSoTimeout(5000);
        tls.startHandshake();
        return tls;
    }

    private static String arg(String[] args, int i, String envName, String dflt) {
        if (args.length > i && !args[i].isBlank()) {
            return args[i];
        }
        return env(envName, dflt);
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }
}
