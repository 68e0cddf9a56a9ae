/**
 * The admin REST API (MaxScale's v1 resource model, JSON:API documents) on its own one-thread Netty event
 * loop: {@link dev.sluice.server.admin.AdminServer} (HTTP/HTTPS, authentication, 403 for read-only accounts),
 * {@link dev.sluice.server.admin.AdminDispatcher} (the admin server's own resources: users, tokens, globals,
 * threads, logs, metrics; module commands on their own thread) and {@link dev.sluice.server.admin.AdminApi}
 * (the object resources). Nothing here runs on a routing worker; worker state is read by tasks submitted to
 * the owning worker.
 */
package dev.sluice.server.admin;
