package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.CompletionChannel;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.DeviceAttributes;
import io.rdmasockets.verbs.PortAttributes;
import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsDevice;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.support.ChildCount;

/** An open {@code tcp0}: the factory for domains, channels and completion queues. */
final class TcpContext implements VerbsContext
{
    private final TcpDevice device;
    private final ChildCount resources = new ChildCount("context");

    TcpContext(final TcpDevice device)
    {
        this.device = device;
    }

    @Override
    public VerbsDevice device()
    {
        return device;
    }

    TcpRuntime runtime()
    {
        return device.runtime();
    }

    @Override
    public DeviceAttributes queryDevice() throws VerbsException
    {
        checkOpen();
        return device.attributes();
    }

    @Override
    public PortAttributes queryPort(final int portNumber) throws VerbsException
    {
        checkOpen();
        if (1 != portNumber)
        {
            throw new VerbsException(Errno.EINVAL, "queryPort(" + portNumber + "): tcp0 has port 1 only");
        }
        return device.port();
    }

    @Override
    public ProtectionDomain allocateProtectionDomain() throws VerbsException
    {
        resources.add();
        return new TcpProtectionDomain(this);
    }

    @Override
    public CompletionChannel createCompletionChannel() throws VerbsException
    {
        resources.add();
        return new TcpCompletionChannel(this);
    }

    @Override
    public CompletionQueue createCompletionQueue(final int minEntries, final CompletionChannel channel, final int vector)
        throws VerbsException
    {
        if (minEntries < 1 || minEntries > TcpDevice.MAX_CQE)
        {
            throw new VerbsException(Errno.EINVAL, "createCompletionQueue(" + minEntries + "): 1.." + TcpDevice.MAX_CQE);
        }
        TcpCompletionChannel tcpChannel = null;
        if (null != channel)
        {
            if (!(channel instanceof TcpCompletionChannel c) || c.context() != this)
            {
                throw new VerbsException(Errno.EINVAL, "completion channel of another context: " + channel);
            }
            tcpChannel = c;
            tcpChannel.resources().add();
        }
        try
        {
            resources.add();
        }
        catch (final VerbsException ex)
        {
            if (null != tcpChannel)
            {
                tcpChannel.resources().remove();
            }
            throw ex;
        }
        return new TcpCompletionQueue(this, minEntries, tcpChannel);
    }

    ChildCount resources()
    {
        return resources;
    }

    private void checkOpen() throws VerbsException
    {
        if (!resources.isOpen())
        {
            throw new VerbsException(Errno.EBADF, "context is closed");
        }
    }

    @Override
    public boolean isOpen()
    {
        return resources.isOpen();
    }

    @Override
    public void close() throws VerbsException
    {
        resources.close();
    }

    @Override
    public String toString()
    {
        return "TcpContext[" + device.name() + "]";
    }
}
