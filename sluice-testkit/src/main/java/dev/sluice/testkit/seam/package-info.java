/**
 * Test doubles for the module seam, so routers and filters can be driven without a server: packet builders
 * ({@link dev.sluice.testkit.seam.TestPackets}), scripted backend answers with their
 * {@link dev.sluice.api.reply.Reply} ({@link dev.sluice.testkit.seam.Answer}), a fake server
 * ({@link dev.sluice.testkit.seam.TestServer}), endpoints that record what a router sends and answer when told
 * ({@link dev.sluice.testkit.seam.FakeEndpoint}), and fake router and filter session contexts that record what
 * reaches the client ({@link dev.sluice.testkit.seam.FakeRouterSessionContext},
 * {@link dev.sluice.testkit.seam.FakeFilterSessionContext}). Every buffer they hand out is owned by the code under
 * test; what reaches the fakes is released by them (check with {@link dev.sluice.testkit.LeakCheck}).
 */
package dev.sluice.testkit.seam;
