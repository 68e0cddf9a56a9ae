package dev.sluice.protocol.message.server;

import dev.sluice.protocol.LengthEncoded;
import dev.sluice.protocol.Packets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;

/**
 * Authentication switch request (https://mariadb.com/kb/en/connection/#authentication-switch-request): the
 * server asks the client to authenticate again with another plugin and new plugin data.
 */
public record AuthSwitchRequest(String pluginName, byte[] pluginData) {

    public static boolean is(ByteBuf packet) {
        return Packets.firstByte(packet) == 0xfe;
    }

    public static AuthSwitchRequest decode(ByteBuf packet) {
        ByteBuf p = packet.duplicate().skipBytes(Packets.HEADER_SIZE + 1);
        String plugin = LengthEncoded.readNulTerminated(p);
        byte[] data = new byte[p.readableBytes()];
        p.readBytes(data);
        if (data.length > 0 && data[data.length - 1] == 0) {
            data = Arrays.copyOf(data, data.length - 1);
        }
        return new AuthSwitchRequest(plugin, data);
    }

    public ByteBuf encode(ByteBufAllocator alloc, int sequence) {
        ByteBuf buf = Packets.start(alloc, 32 + pluginName.length());
        buf.writeByte(0xfe);
        LengthEncoded.writeNulTerminated(buf, pluginName);
        buf.writeBytes(pluginData);
        buf.writeByte(0);
        return Packets.finish(buf, sequence);
    }
}
