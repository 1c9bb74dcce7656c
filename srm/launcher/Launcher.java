package srm.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * SRM's local Neo4j: an embedded Neo4j Community DBMS with only the Bolt connector, for
 * development, the demo and the test suite.
 *
 * <p>Arguments: {@code --home DIR --port N [--host 127.0.0.1] [--pagecache-mb 256]
 * [--transaction-memory-mb N] [--parent-pid PID]}. {@code --transaction-memory-mb} caps the
 * memory of any one transaction ({@code db.memory.transaction.max}; default: no cap beyond the
 * DBMS-wide pool), so tests can prove that housekeeping runs in bounded transactions. Prints
 * {@code SRM-NEO4J READY bolt://host:port} once the default database answers, and shuts down
 * cleanly on SIGTERM/SIGINT (the JVM runs the shutdown hook), so the store is never left in
 * need of recovery by a normal stop. With {@code --parent-pid} it also stops when that process
 * ends, so a test run that dies never leaves a stray server behind.
 */
public final class Launcher {
  private Launcher() {}

  public static void main(String[] args) throws InterruptedException {
    Path home = null;
    String host = "127.0.0.1";
    int port = 7687;
    long pagecacheMb = 256;
    long parentPid = -1;
    long transactionMemoryMb = 0;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--home" -> home = Path.of(require(value, "--home")).toAbsolutePath();
        case "--host" -> host = require(value, "--host");
        case "--port" -> port = Integer.parseInt(require(value, "--port"));
        case "--pagecache-mb" -> pagecacheMb = Long.parseLong(require(value, "--pagecache-mb"));
        case "--transaction-memory-mb" ->
            transactionMemoryMb = Long.parseLong(require(value, "--transaction-memory-mb"));
        case "--parent-pid" -> parentPid = Long.parseLong(require(value, "--parent-pid"));
        default -> fail("unknown argument " + args[i]);
      }
      i++;
    }
    if (home == null) {
      fail("--home DIR is required");
    }

    DatabaseManagementServiceBuilder builder =
        new DatabaseManagementServiceBuilder(home)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
            .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
            .setConfig(GraphDatabaseSettings.auth_enabled, false)
            .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecacheMb))
            .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
            .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(30))
            // A local server has no clients worth waiting for: stop in seconds, not 10+ s.
            .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
            .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1));
    if (transactionMemoryMb > 0) {
      builder.setConfig(
          GraphDatabaseSettings.memory_transaction_max_size, ByteUnit.mebiBytes(transactionMemoryMb));
    }
    DatabaseManagementService dbms = builder.build();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  dbms.shutdown();
                  System.out.println("SRM-NEO4J STOPPED");
                  System.out.flush();
                  stopped.countDown();
                }));

    if (parentPid > 0) {
      ProcessHandle.of(parentPid)
          .ifPresentOrElse(
              parent -> parent.onExit().thenRun(() -> System.exit(0)),
              () -> System.exit(0));
    }

    GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    db.executeTransactionally("RETURN 1");
    System.out.println("SRM-NEO4J READY bolt://" + host + ":" + port);
    System.out.flush();
    stopped.await();
  }

  private static String require(String value, String flag) {
    if (value == null) {
      fail(flag + " needs a value");
    }
    return value;
  }

  private static void fail(String message) {
    System.err.println("SRM-NEO4J ERROR " + message);
    System.exit(2);
  }
}
