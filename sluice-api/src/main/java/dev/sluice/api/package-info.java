/**
 * The plugin API of Sluice: the interfaces that routers, filters, monitors and the classifier are written
 * against, and the small immutable value types they exchange. Plugins compile against this module (plus the
 * protocol helpers) only, so a reader sees at once what a plugin may touch.
 */
package dev.sluice.api;
