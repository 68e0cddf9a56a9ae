package dev.sluice.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.protocol.Capability;
import dev.sluice.protocol.Packets;
import dev.sluice.protocol.ProtocolException;
import dev.sluice.protocol.auth.NativePassword;
import dev.sluice.protocol.message.client.HandshakeResponse;
import dev.sluice.protocol.message.server.ErrPacket;
import dev.sluice.protocol.message.server.HandshakeV10;
import dev.sluice.testkit.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class HandshakeRoundTripTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @Test
    void handshakeV10DecodesToWhatWasEncodedIncludingMariaDbExtendedCapabilities() {
        byte[] scramble = NativePassword.newScramble();
        long caps = Capability.PROXY_SUPPORTED & ~Capability.CLIENT_MYSQL;
        HandshakeV10 hello = new HandshakeV10("11.4.5-MariaDB-sluice", 4_000_000_001L, scramble, caps, 45, 2,
                NativePassword.PLUGIN);
        ByteBuf encoded = hello.encode(ALLOC);
        try {
            assertThat(Packets.sequence(encoded)).isZero();
            HandshakeV10 decoded = HandshakeV10.decode(encoded);
            assertThat(decoded.serverVersion()).isEqualTo("11.4.5-MariaDB-sluice");
            assertThat(decoded.connectionId()).isEqualTo(4_000_000_001L);
            assertThat(decoded.scramble()).isEqualTo(scramble);
            assertThat(decoded.capabilities()).isEqualTo(caps);
            assertThat(decoded.collation()).isEqualTo(45);
            assertThat(decoded.statusFlags()).isEqualTo(2);
            assertThat(decoded.authPluginName()).isEqualTo(NativePassword.PLUGIN);
        } finally {
            encoded.release();
        }
    }

    @Test
    void handshakeResponseDecodesToWhatWasEncoded() {
        long caps = Capability.PROTOCOL_41 | Capability.SECURE_CONNECTION | Capability.PLUGIN_AUTH
                | Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA | Capability.CONNECT_WITH_DB | Capability.CONNECT_ATTRS
                | Capability.DEPRECATE_EOF | Capability.MARIADB_CLIENT_STMT_BULK_OPERATIONS;
        byte[] token = new byte[20];
        token[3] = 7;
        byte[] attrs = {4, '_', 'o', 's', 'x', 1, 'L'};
        HandshakeResponse r = new HandshakeResponse(caps, 1 << 24, 224, "üser", token, "test",
                NativePassword.PLUGIN, attrs);
        ByteBuf encoded = r.encode(ALLOC, 1);
        try {
            HandshakeResponse d = HandshakeResponse.decode(encoded);
            assertThat(d.capabilities()).isEqualTo(caps);
            assertThat(d.user()).isEqualTo("üser");
            assertThat(d.authResponse()).isEqualTo(token);
            assertThat(d.database()).isEqualTo("test");
            assertThat(d.authPluginName()).isEqualTo(NativePassword.PLUGIN);
            assertThat(d.connectAttributes()).isEqualTo(attrs);
            assertThat(d.collation()).isEqualTo(224);
            assertThat(HandshakeResponse.isSslRequest(encoded)).isFalse();
        } finally {
            encoded.release();
        }
    }

    @Test
    void anSslRequestIsTheFixedPartWithTheSslBit() {
        ByteBuf ssl = HandshakeResponse.encodeSslRequest(ALLOC, Capability.PROTOCOL_41, 1 << 24, 45);
        try {
            assertThat(Packets.payloadLength(ssl)).isEqualTo(HandshakeResponse.FIXED_PART);
            assertThat(HandshakeResponse.isSslRequest(ssl)).isTrue();
        } finally {
            ssl.release();
        }
    }

    @Test
    void aTruncatedOrPre41HandshakeResponseIsAProtocolError() {
        ByteBuf tooShort = Unpooled.buffer().writeMediumLE(5).writeByte(1).writeZero(5);
        ByteBuf pre41 = Unpooled.buffer().writeMediumLE(40).writeByte(1).writeZero(40);
        ByteBuf noNul = Unpooled.buffer().writeMediumLE(36).writeByte(1)
                .writeIntLE((int) (Capability.PROTOCOL_41 | Capability.SECURE_CONNECTION)).writeZero(28)
                .writeBytes(new byte[] {'r', 'o', 'o', 't'});
        try {
            assertThatThrownBy(() -> HandshakeResponse.decode(tooShort)).isInstanceOf(ProtocolException.class);
            assertThatThrownBy(() -> HandshakeResponse.decode(pre41)).isInstanceOf(ProtocolException.class);
            assertThatThrownBy(() -> HandshakeResponse.decode(noNul)).isInstanceOf(ProtocolException.class);
        } finally {
            tooShort.release();
            pre41.release();
            noNul.release();
        }
    }

    @Test
    void errPacketKeepsCodeStateAndMessage() {
        ByteBuf encoded = new ErrPacket(1045, "28000", "Access denied for user 'ü'@'h' (using password: YES)")
                .encode(ALLOC, 2);
        try {
            assertThat(Packets.sequence(encoded)).isEqualTo(2);
            assertThat(ErrPacket.is(encoded)).isTrue();
            assertThat(ErrPacket.decode(encoded))
                    .isEqualTo(new ErrPacket(1045, "28000", "Access denied for user 'ü'@'h' (using password: YES)"));
        } finally {
            encoded.release();
        }
    }
}
