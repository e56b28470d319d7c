package dev.loupe.store.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The store's connections, from a pool that can be replaced: when the process hosting a shared file store (H2's
 * automatic server mode) goes away, every connection to it is dead, and a new pool's first connection either reaches
 * the process that hosts the store now or opens the store in this process, which then hosts it.
 */
final class ConnectionSource implements DataSource {

    /**
     * H2's errors for a connection that is gone: broken (90067), database closed (90098), called at shutdown
     * (90121), object closed (90007), and the store still locked by a process that died a moment ago (90020).
     */
    private static final Set<String> LOST = Set.of("90067", "90098", "90121", "90007", "90020");

    private final String url;
    private final int maxConnections;
    private volatile JdbcConnectionPool pool;

    ConnectionSource(String url, int maxConnections) {
        this.url = url;
        this.maxConnections = maxConnections;
        this.pool = newPool();
    }

    private JdbcConnectionPool newPool() {
        JdbcConnectionPool created = JdbcConnectionPool.create(url, "loupe", "");
        created.setMaxConnections(maxConnections);
        return created;
    }

    /** Returns whether the failure, or one of its causes, says the connection to the database is gone. */
    static boolean isConnectionLost(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && (LOST.contains(sql.getSQLState())
                    || sql.getSQLState() != null && sql.getSQLState().startsWith("08"))) {
                return true;
            }
        }
        return false;
    }

    /** Drops every pooled connection and starts a new pool; the next connection finds the store anew. */
    void renew() {
        JdbcConnectionPool old = pool;
        pool = newPool();
        old.dispose();
    }

    /** Closes the pool and its connections. */
    void dispose() {
        pool.dispose();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return pool.getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
