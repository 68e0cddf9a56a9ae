/**
 * The admin REST API (MaxScale's v1 resource model, JSON:API documents) on its own one-thread Netty event
 * loop: {@link dev.sluice.server.admin.AdminServer} (HTTP/HTTPS, authentication, 403 for read-only accounts),
 * {@link dev.sluice.server.admin.AdminDispatcher} (the admin server's own resources: users, tokens, globals,
 * threads, logs, metrics; module commands on their own thread) and {@link dev.sluice.server.admin.AdminApi}
 * (the object resources), {@link dev.sluice.server.admin.SqlResource} (the query API {@code /v1/sql}, whose JDBC
 * connections block on their own threads) and {@link dev.sluice.server.admin.GuiFiles} (the web GUI's static
 * files). Nothing here runs on a routing worker; worker state is read by tasks submitted to the owning worker.
 */
package dev.sluice.server.admin;
