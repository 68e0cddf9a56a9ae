/** Backend servers and their status, as published by monitors and read by routers. */
package dev.sluice.api.server;
